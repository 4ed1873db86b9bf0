import { type FormEvent, useId, useState } from "react";
import { saveApiKey, useSignOutNotice } from "../api-key.ts";

/** Staff and clinics sign in with the API key the insurer gave them. */
export function SignInPage() {
  const notice = useSignOutNotice();
  const [key, setKey] = useState("");
  const inputId = useId();
  const hintId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed) saveApiKey(trimmed);
  }

  return (
    <main id="content" className="sign-in">
      <h1>claimwire insurer console</h1>
      <p>
        Insurer staff review claims and look after every clinic's webhook endpoints. Clinics see
        their own endpoints and message log.
      </p>
      {notice ? (
        <p className="message message-error" role="alert">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} className="stack">
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby={hintId}
        />
        <p id={hintId} className="hint">
          Kept in this browser tab only (sessionStorage) and sent as a bearer token to the insurer
          API.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
