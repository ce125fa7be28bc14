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
  readonly #pageListeners = new Set<() => void>();

  /** Changes the public status page shows that are not incidents (maintenances, page settings). */
  onPageChange(listener: () => void): () => void {
    this.#pageListeners.add(listener);
    return () => this.#pageListeners.delete(listener);
  }

  pageChanged(): void {
    for (const listener of this.#pageListeners) {
      try {
        listener();
      } catch {
        // As below: a broken follower must not stop the change.
      }
    }
  }

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
