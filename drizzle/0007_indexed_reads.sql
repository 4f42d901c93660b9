DROP INDEX `documents_sender`;--> statement-breakpoint
DROP INDEX `documents_key`;--> statement-breakpoint
CREATE INDEX `documents_pending` ON `documents` (`owner_agency`,`seq`) WHERE direction = 'in' AND state = 'received';--> statement-breakpoint
CREATE UNIQUE INDEX `documents_key` ON `documents` (`owner_agency`,`direction`,`document_id`,`from_agency`);--> statement-breakpoint
CREATE INDEX `cases_priority_created` ON `cases` (`priority`,`created_at`,`agency_id`,`case_id`);--> statement-breakpoint
CREATE INDEX `deliveries_owner_state` ON `deliveries` (`owner_agency`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `deliveries_document` ON `deliveries` (`document_id`);