import type { AdapterContext } from "../../comms/adapters/types.ts";

/**
 * How a page leaves Runsheet. Providers throw RetryLater (429 and the like),
 * GiveUp (refused for good) or any other error (tried again on the paging
 * retry schedule), and return the provider's id of what they created.
 */
export type ProviderContext = AdapterContext;

export interface Sent {
  providerMessageId?: string;
}
