/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** The `event:` field; `message` when the event had none. */
  event: string;
  /** The `data:` fields joined with newlines. */
  data: string;
  /** The last `id:` seen on the stream, if any. */
  id?: string;
}

/**
 * An incremental text/event-stream parser following the WHATWG HTML "event stream interpretation": lines end with
 * CRLF, LF or CR (a CRLF may be split across chunks); a leading BOM is dropped; `:` starts a comment; one space
 * after the field's colon is removed; several `data:` lines join with "\n"; a blank line dispatches the event (an
 * event without data is not dispatched); unknown fields and `retry` are ignored. Feed it decoded text, in order.
 */
export class SseParser {
  private partial = '';
  private skipLeadingLf = false;
  private atStart = true;
  private data: string[] = [];
  private eventType = '';
  private lastId: string | undefined;

  /** Events completed by this chunk. */
  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    let text = chunk;
    if (this.atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.atStart = false;
    }
    let start = 0;
    if (this.skipLeadingLf && text.length > 0) {
      if (text[0] === '\n') start = 1;
      this.skipLeadingLf = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = this.partial + text.slice(start, i);
      this.partial = '';
      this.line(line, events);
      if (c === '\r') {
        if (i + 1 < text.length) {
          if (text[i + 1] === '\n') i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.partial += text.slice(start);
    return events;
  }

  /**
   * The stream ended. Per the specification an event not terminated by a blank line is incomplete and is
   * discarded; returns whether one was (so callers can say so).
   */
  end(): { discardedIncompleteEvent: boolean } {
    const discarded = this.data.length > 0 || this.partial.startsWith('data');
    this.partial = '';
    this.data = [];
    this.eventType = '';
    return { discardedIncompleteEvent: discarded };
  }

  private line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(events);
      return;
    }
    if (line[0] === ':') return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) {
      const event: SseEvent = { event: this.eventType || 'message', data: this.data.join('\n') };
      if (this.lastId !== undefined) event.id = this.lastId;
      events.push(event);
    }
    this.data = [];
    this.eventType = '';
  }
}
