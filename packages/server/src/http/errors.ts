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
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    message: "This account logged in with its one-time initial password: choose a new password first (POST /v1/auth/password).",
  },
  MERCHANT_SUSPENDED: {
    status: 403,
    message: "This merchant is suspended by the platform: its API keys, users, links and sign-up are paused. Nothing is deleted.",
  },
  LAST_ADMIN: { status: 409, message: "This is the merchant's last active admin: invite another admin first." },
  NOT_YOURSELF: { status: 409, message: "You cannot disable your own account: ask another admin of the merchant." },
  SLUG_TAKEN: { status: 409, message: "This slug is already used by another merchant." },
  LINK_UNKNOWN: { status: 404, message: "No such link." },
  CODE_TAKEN: { status: 409, message: "This code is already in use (codes are unique across the whole deployment)." },
  CUSTOMER_EXISTS: { status: 409, message: "A customer with this customerRef already exists." },
  PERIOD_NOT_ENDED: { status: 409, message: "The period has not ended yet; it can be closed after its last day." },
  IDENTITY_IN_USE: {
    status: 409,
    message: "This ID number is already recorded for another promoter account: one person, one promoter account.",
  },
  PAYOUT_ACCOUNT_NOT_FOUND: { status: 404, message: "No such payout account of this promoter." },
  PAYOUT_ACCOUNT_EXISTS: { status: 409, message: "This payout account is already recorded for this promoter." },
  PAYOUT_ACCOUNTS_LIMIT: { status: 409, message: "Too many payout accounts: remove one first." },
  PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL: {
    status: 409,
    message: "A withdrawal in progress pays to this payout account: it can be removed once that withdrawal is finished.",
  },
  AMOUNT_INVALID: { status: 422, message: "The amount must be a positive whole number of fen." },
  BALANCE_NEGATIVE: {
    status: 422,
    message: "The available balance is negative after a clawback: nothing can be withdrawn until it is repaid.",
  },
  DAILY_COUNT_EXCEEDED: { status: 422, message: "Today's withdrawal requests already reach the program's daily count." },
  BELOW_MINIMUM: { status: 422, message: "The amount is below the program's minimum withdrawal." },
  ABOVE_MAXIMUM: { status: 422, message: "The amount is above the program's maximum per withdrawal." },
  INSUFFICIENT_AVAILABLE: { status: 422, message: "The amount is more than the available balance." },
  DAILY_AMOUNT_EXCEEDED: { status: 422, message: "The amount would take today's withdrawals above the program's daily amount." },
  NET_NOT_POSITIVE: { status: 422, message: "Tax and fee leave nothing to pay: ask for a larger amount." },
  IDENTITY_REQUIRED: { status: 422, message: "Record your identity (legal name and ID document) before this withdrawal." },
  WITHDRAWAL_FINAL: { status: 409, message: "The withdrawal is already paid, rejected or failed." },
  TRANSITION_NOT_ALLOWED: { status: 409, message: "The withdrawal's state does not allow this action." },
  RISK_FLAG_CLOSED: { status: 409, message: "The risk flag is already closed." },
  PAYOUT_PROVIDER_NOT_CONFIGURED: {
    status: 409,
    message: "This payout provider is not configured and enabled for the merchant (PUT /v1/payout-providers/:provider).",
  },
  TOPUP_REFERENCE_REUSED: {
    status: 409,
    message: "This top-up reference was already recorded with other figures (references are unique per merchant).",
  },
  PROGRAM_NOT_PREPAID: { status: 409, message: "The program is postpaid: set its funding mode to prepaid before recording top-ups." },
  PAYOUT_RUN_IN_PROGRESS: { status: 409, message: "A payout run of this merchant is still running; wait for it to finish." },
  PAYOUT_RUN_NOT_FINISHED: { status: 409, message: "The payout run is still running." },
  PAYOUT_PROVIDER_UNAVAILABLE: { status: 404, message: "This payout provider is not configured on this server." },
  PAYOUT_CALLBACK_INVALID: { status: 400, message: "The callback could not be verified." },
  BANK_RESULT_INVALID: { status: 422, message: "The bank result file is not valid." },
  WEBHOOK_URL_REFUSED: {
    status: 422,
    message: "The webhook URL's host resolves to a loopback, private or link-local address: webhooks go to public addresses only.",
  },
  WEBHOOK_URL_UNRESOLVABLE: { status: 422, message: "The webhook URL's host name does not resolve." },
  CONNECTOR_SIGNATURE_INVALID: { status: 401, message: "The webhook's signature does not match the connector's secret." },
  CONNECTOR_DISABLED: { status: 410, message: "This connector is disabled." },
  CONNECTOR_PAYLOAD_UNMAPPABLE: { status: 422, message: "The shop's payload cannot be mapped to an order event." },
  CONNECTOR_ORDER_UNKNOWN: { status: 409, message: "The shop's event is about an order this connector has not received yet." },
  IMPORT_COLUMNS_MISSING: { status: 422, message: "The CSV file lacks required columns." },
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
