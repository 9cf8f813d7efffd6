CREATE INDEX "users_created_at_idx" ON "users" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "users_email_verified_at_idx" ON "users" USING btree ("email_verified_at");--> statement-breakpoint
CREATE INDEX "users_email_trgm_idx" ON "users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_display_name_trgm_idx" ON "users" USING gin ("display_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_actor_created_at_idx" ON "audit_events" USING btree ("actor","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_action_trgm_idx" ON "audit_events" USING gin ("action" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_target_trgm_idx" ON "audit_events" USING gin ("target" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "lead_activities_created_at_idx" ON "lead_activities" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "lead_activities_actor_idx" ON "lead_activities" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "lead_activities_message_trgm_idx" ON "lead_activities" USING gin ("message" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "newsletter_subscribers_created_at_idx" ON "newsletter_subscribers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "newsletter_subscribers_confirmed_at_idx" ON "newsletter_subscribers" USING btree ("confirmed_at");--> statement-breakpoint
CREATE INDEX "newsletter_subscribers_email_trgm_idx" ON "newsletter_subscribers" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "newsletter_subscribers_full_name_trgm_idx" ON "newsletter_subscribers" USING gin ("full_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "mail_outbox_sent_at_idx" ON "mail_outbox" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_to_trgm_idx" ON "mail_outbox" USING gin ("to" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "mail_outbox_subject_trgm_idx" ON "mail_outbox" USING gin ("subject" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "scans_created_at_idx" ON "scans" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "scans_url_trgm_idx" ON "scans" USING gin ("url" gin_trgm_ops);