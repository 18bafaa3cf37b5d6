import http from 'node:http';
import https from 'node:https';

export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/**
 * Keep-alive connections for one target: 1,000 runs reuse a handful of sockets (as many as run at once) instead
 * of opening 1,000. destroy() closes them all, in flight or idle.
 */
export class ConnectionPool {
  private readonly http = new http.Agent({ keepAlive: true });
  private readonly https = new https.Agent({ keepAlive: true });

  /**
   * Sends a request and resolves with the response head (the body still to be read). When the signal fires the
   * request and its response are destroyed with the signal's reason, so a pending read rejects with it too.
   */
  async send(request: OutgoingRequest, reason: () => Error): Promise<http.IncomingMessage> {
    try {
      return await this.attempt(request, reason);
    } catch (err) {
      // A server may close an idle keep-alive socket just as we reuse it; Node's documented remedy is to send
      // again on a fresh socket. Nothing of the request reached the application, so this is safe even for a POST.
      if ((err as StaleSocketError).staleSocket) return this.attempt(request, reason);
      throw err;
    }
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }

  private attempt(request: OutgoingRequest, reason: () => Error): Promise<http.IncomingMessage> {
    const { url, method, headers, body, signal } = request;
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(reason());
        return;
      }
      const req = (secure ? https : http).request(url, { method, headers, agent: secure ? this.https : this.http });
      let response: http.IncomingMessage | undefined;
      const onAbort = () => {
        const error = reason();
        req.destroy(error);
        response?.destroy(error);
        reject(error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('response', (res) => {
        response = res;
        res.once('close', () => signal.removeEventListener('abort', onAbort));
        resolve(res);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        if (!response && req.reusedSocket && err.code === 'ECONNRESET') {
          reject(Object.assign(err, { staleSocket: true }));
        } else reject(err);
      });
      req.end(body);
    });
  }
}

interface StaleSocketError extends Error {
  staleSocket?: boolean;
}
