/**
 * Error codes of the loyalty APIs (Events, Customer, Async Events), in the Antavo range. The
 * kind of each (and so its HTTP status) is noted beside it.
 */
export const LoyaltyErrorCodes = {
  /** not_found (404): the customer does not exist in this workspace. */
  customerNotFound: 160212,
  /** conflict (409): opt_in of a customer who is already opted in. */
  customerExists: 160213,
  /** conflict (409): an event other than opt_in/opt_out for an opted-out customer. */
  customerOptedOut: 160214,
  /** invalid (400): the action is not one this backend knows. */
  unknownAction: 160220,
  /** invalid (400): the event's data does not fit its action (fields listed in details). */
  invalidEvent: 160221,
  /** invalid (400): a spend/subtract larger than the customer's spendable points. */
  insufficientPoints: 160222,
  /** not_found (404): no async event with this correlation id in this workspace. */
  asyncEventNotFound: 160230,
} as const;
