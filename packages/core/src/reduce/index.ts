// The reduce area of @fluxloop/core (see docs/design/experiments.md).
export {};
