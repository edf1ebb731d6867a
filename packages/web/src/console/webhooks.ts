/** The webhook endpoint and delivery shapes of the API (modules/webhooks), and the event types an endpoint may choose. */
export const WEBHOOK_EVENT_TYPES = [
  "order.attributed",
  "commission.created",
  "commission.reversed",
  "commission.available",
  "customer.rewarded",
  "withdrawal.state_changed",
  "payout.succeeded",
  "payout.failed",
  "period.closed",
  "plan.published",
  "funding.low_budget",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  disabled: boolean;
  disabledReason: string | null;
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The create and rotate answers: the endpoint with its secret, shown once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export interface WebhookAttempt {
  attempt: number;
  startedAt: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  log: WebhookAttempt[];
}
