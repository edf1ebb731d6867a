/**
 * The closed catalogue of API errors. Each code has exactly one HTTP status; codes are never reused.
 * Body: { error: { code, message, details } }.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  UNAUTHENTICATED: { status: 401, message: "Missing or invalid credentials." },
  FORBIDDEN: { status: 403, message: "Not allowed for this account." },
  NOT_FOUND: { status: 404, message: "No such resource." },
  ROUTE_NOT_FOUND: { status: 404, message: "No such endpoint." },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: "This Idempotency-Key was already used with a different request." },
  ORDER_EXISTS: { status: 409, message: "An order with this orderRef already exists." },
  ORDER_STATE: { status: 409, message: "The order's state does not allow this event." },
  REFUND_EXCEEDS_PAID: { status: 422, message: "The refund is larger than what remains refundable." },
  PROGRAM_REQUIRED: { status: 422, message: "The merchant has several programs: name programId." },
  PROGRAM_INACTIVE: { status: 409, message: "The program is not active." },
  NO_PLAN_IN_FORCE: { status: 409, message: "No published plan version is in force at this time." },
  PLAN_INVALID: { status: 422, message: "The plan document is not valid." },
  PLAN_LINT_FAILED: { status: 422, message: "The plan breaks the program's compliance policy." },
  PLAN_NOT_DRAFT: { status: 409, message: "Only a draft plan version can be changed or published." },
  PLAN_RETROACTIVE: {
    status: 422,
    message: "effectiveFrom is in the past: orders already paid since then would be re-priced.",
  },
  PLAN_BREAKS_POLICY: {
    status: 409,
    message: "A published plan version in force, or due, breaks this compliance policy: publish a compliant version first.",
  },
  INVITE_CODE_UNKNOWN: { status: 422, message: "No promoter has this invite code in this program." },
  ALREADY_MEMBER: { status: 409, message: "Already a member of this program." },
  INVITE_REQUIRED: { status: 422, message: "This program is by invitation only: sign up through a member's invite link or code." },
  APPLICATION_PENDING: { status: 409, message: "An application to join this program is already waiting for the merchant's decision." },
  APPLICATION_DECIDED: { status: 409, message: "This application has been decided already." },
  EMAIL_TAKEN: { status: 409, message: "This email is already registered." },
  PASSWORD_INCORRECT: { status: 403, message: "The current password is not correct." },
  LINK_UNKNOWN: { status: 404, message: "No such link." },
  CODE_TAKEN: { status: 409, message: "This code is already in use (codes are unique across the whole deployment)." },
  CUSTOMER_EXISTS: { status: 409, message: "A customer with this customerRef already exists." },
  PERIOD_NOT_ENDED: { status: 409, message: "The period has not ended yet; it can be closed after its last day." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  RATE_LIMITED: { status: 429, message: "Too many requests." },
  INTERNAL: { status: 500, message: "Internal error." },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
  toBody() {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export function fail(code: ErrorCode, message?: string, details?: Record<string, unknown>): never {
  throw new ApiError(code, message, details);
}

/** A validation error that names the field. */
export function invalid(field: string, reason: string): never {
  throw new ApiError("VALIDATION_FAILED", `${field}: ${reason}`, { issues: [{ path: field, message: reason }] });
}
