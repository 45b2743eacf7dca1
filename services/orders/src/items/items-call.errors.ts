// How a call to the items service failed, as the retry and breaker policy sees it.

/** Failures worth another try, and that count towards opening the breaker. */
export class ItemsServerError extends Error {}
export class ItemsNetworkError extends Error {}
/** Answers that another try would not change (401, 403, an unexpected body). */
export class ItemsRefusedError extends Error {}
