import { Link } from "wouter";
import { paths } from "../paths.ts";

export function NotFoundPage({ message }: { message: string }) {
  return (
    <>
      <h1>Not here</h1>
      <p>{message}</p>
      <p>
        <Link href={paths.home()}>Back to the start</Link>
      </p>
    </>
  );
}
