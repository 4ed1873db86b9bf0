import { PATIENT_LANGUAGES } from "@claimwire/clinic-db";
import { describe, expect, it } from "vitest";
import { PATIENT_EMAIL_STATUSES, patientEmail } from "./patient-email.ts";

const link = "https://clinic.example/p/abc";

describe("patientEmail", () => {
  it("names the claim by the clinic's reference and links to the patient page, in every status and language", () => {
    for (const language of PATIENT_LANGUAGES) {
      const subjects = new Set<string>();
      for (const status of PATIENT_EMAIL_STATUSES) {
        const email = patientEmail({ status, clinicReference: "INV-7", link, language });
        expect(email.subject).toContain("INV-7");
        expect(email.text).toContain(link);
        subjects.add(email.subject);
      }
      // Each status reads differently.
      expect(subjects.size).toBe(PATIENT_EMAIL_STATUSES.length);
    }
  });

  it("writes Russian e-mails without an English word", () => {
    for (const status of PATIENT_EMAIL_STATUSES) {
      const { subject, text } = patientEmail({
        status,
        clinicReference: "INV-7",
        link,
        language: "ru",
      });
      const words = `${subject}\n${text}`.replace(link, "").replace("INV-7", "");
      expect(words).not.toMatch(/[A-Za-z]/);
    }
  });
});
