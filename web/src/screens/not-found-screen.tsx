import { Link } from "react-router";
import { useTitle } from "../lib/use-title";

export function NotFoundScreen() {
  useTitle("Not found");
  return (
    <>
      <h1>Nothing here</h1>
      <p>This page does not exist in Runsheet.</p>
      <p>
        <Link to="/incidents">Go to the incidents</Link>
      </p>
    </>
  );
}
