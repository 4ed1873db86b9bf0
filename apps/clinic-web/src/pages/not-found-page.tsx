import { Link } from "wouter";
import { useTitle } from "../lib/use-title.ts";

export function NotFoundPage() {
  useTitle("Page not found — Clinic");
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link href="/">Go to the claims.</Link>
      </p>
    </>
  );
}
