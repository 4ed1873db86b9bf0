import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { I18nextProvider } from "react-i18next";
import { type AroundNavHandler, Router } from "wouter";
import { createI18n } from "./i18n/i18n.ts";
import { AppRoutes } from "./routes.tsx";
import { createClinicClient, createQueryClient, TRPCProvider } from "./trpc.ts";

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createClinicClient);
  const [i18n] = useState(() => createI18n());
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <Router aroundNav={startAtTheTop}>
            <AppRoutes />
          </Router>
        </TRPCProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

/**
 * A link followed inside the app opens the new page at its top, as a page load would.
 * (Back and forward are left to the browser, which restores where the reader was.)
 */
const startAtTheTop: AroundNavHandler = (navigate, to, options) => {
  navigate(to, options);
  window.scrollTo(0, 0);
};
