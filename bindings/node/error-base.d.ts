// Type declarations of OmegaError (hand-written, like error-base.js); the subclasses are in
// errors.d.ts, generated from the Rust taxonomy.

/** Base class of every error the SDK throws. `message` is one line naming what failed. */
export declare class OmegaError extends Error {
  /** The API's own message, for non-2xx answers. */
  readonly apiMessage: string | null;
  /** HTTP status, for answers of the API. */
  readonly status: number | null;
  /** Response body (truncated), for non-2xx answers. */
  readonly body: string | null;
  /** The `x-request-id` (or `request-id`) response header. */
  readonly requestId: string | null;
  /** Response headers, names lowercased. */
  readonly headers: Record<string, string>;
  /** Seconds the API asked to wait (`Retry-After`). */
  readonly retryAfter: number | null;
  /** JSON path of the problem, for bodies of the wrong shape. */
  readonly path: string | null;
  /** Attempts made, retries included (0: refused before any I/O). */
  readonly attempts: number;
}
