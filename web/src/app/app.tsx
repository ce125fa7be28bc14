import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter } from "react-router";
import { isApiError } from "../api/problem";
import { keys } from "../api/queries";
import { AppRoutes } from "./routes";

/** A session that ended (expired, or signed out elsewhere) sends the user to sign in; drafts are kept. */
function onError(error: unknown): void {
  if (isApiError(error) && error.status === 401) void queryClient.invalidateQueries({ queryKey: keys.me });
}

const queryClient: QueryClient = new QueryClient({
  // Not for the "me" query itself, whose 401 is how RequireSession learns it.
  queryCache: new QueryCache({
    onError: (error, query) => query.queryKey[0] !== keys.me[0] && onError(error),
  }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: true,
      // A 4xx will not change on retry; a dropped connection or a 5xx might.
      retry: (count, error) =>
        isApiError(error) && error.status >= 400 && error.status < 500 ? false : count < 2,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/app">
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
