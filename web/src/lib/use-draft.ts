import { useCallback, useEffect, useState } from "react";

/**
 * State kept in sessionStorage as it is typed, so a reload or a crash of the
 * tab loses nothing; `clear` forgets it once it has been sent.
 */
export function useDraft<T>(
  key: string,
  initial: T,
): [T, (next: T | ((current: T) => T)) => void, () => void] {
  const storageKey = `runsheet.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(storageKey);
      return stored ? { ...initial, ...(JSON.parse(stored) as T) } : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    } catch {
      // Storage full or unavailable: the draft lives in memory only.
    }
  }, [storageKey, value]);
  const clear = useCallback(() => {
    try {
      sessionStorage.removeItem(storageKey);
    } catch {
      // Nothing to clear.
    }
    setValue(initial);
  }, [storageKey, initial]);
  return [value, setValue, clear];
}
