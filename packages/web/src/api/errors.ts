/** An error answered by the API: `{ error: { code, message, details } }` with its HTTP status (0 for a network failure). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
