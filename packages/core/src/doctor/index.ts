// The doctor area of @fluxloop/core (see docs/design/experiments.md).
export {};
