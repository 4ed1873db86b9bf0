import { useQuery } from "@tanstack/react-query";
import { Router } from "wouter";
import { clearApiKey, useApiKey } from "./api-key.ts";
import { ErrorMessage, Loading } from "./components/feedback.tsx";
import { Layout } from "./components/layout.tsx";
import { ConsoleRoutes } from "./console-routes.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { queryClient, trpc } from "./trpc.ts";

/** The console's base path without its trailing slash ("/console"): the router's base. */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export function App() {
  const apiKey = useApiKey();
  return <Router base={BASE}>{apiKey ? <SignedIn /> : <SignInPage />}</Router>;
}

function signOut() {
  clearApiKey();
  queryClient.clear();
}

/** `me` says whose key this is; staff and clinics get different views. */
function SignedIn() {
  const me = useQuery(trpc.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  if (me.isPending) {
    return (
      <main id="content">
        <Loading what="your account" />
      </main>
    );
  }
  if (me.isError) {
    return (
      <main id="content">
        <h1>claimwire insurer console</h1>
        <ErrorMessage error={me.error}>
          <button type="button" onClick={() => void me.refetch()}>
            Try again
          </button>{" "}
          <button type="button" className="button-quiet" onClick={signOut}>
            Sign out
          </button>
        </ErrorMessage>
      </main>
    );
  }
  return (
    <Layout principal={me.data} onSignOut={signOut}>
      <ConsoleRoutes principal={me.data} />
    </Layout>
  );
}
