-- Custom migration (drizzle-kit generate --custom). Under the skeleton's protocol a
-- delivery waited as "pending" while the worker retried it; the insurer now schedules
-- every retry itself, so such rows go to the retry scheduler, due at once. Their next
-- attempt number is attempt_count + 1, as for any retry.
UPDATE `deliveries` SET `status` = 'retrying', `next_attempt_at` = coalesce(`next_attempt_at`, `created_at`) WHERE `status` = 'pending';
