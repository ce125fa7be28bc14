/**
 * Changes to incidents, announced after they commit, for whoever follows them
 * live (the web app's event stream). In-process: with several Runsheet
 * instances on one PostgreSQL, each instance announces its own changes only.
 */
export interface IncidentEvent {
  incidentId: string;
  reference: string;
  /** The timeline kind of the change (declared, status_changed, note, …) or "changed". */
  kind: string;
  version: number;
  /** Private incidents are announced only to those who may see them. */
  private: boolean;
}

type Listener = (event: IncidentEvent) => void;

export class EventHub {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: IncidentEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One broken follower must not stop the others or the change itself.
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
