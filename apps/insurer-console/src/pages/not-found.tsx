import { Link } from "../navigation.tsx";

export function NotFoundPage({ message }: { message: string }) {
  return (
    <>
      <h1>Not here</h1>
      <p>{message}</p>
      <p>
        <Link to="">Back to the start</Link>
      </p>
    </>
  );
}
