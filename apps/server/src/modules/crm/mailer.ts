import type { FastifyInstance } from 'fastify';
import { sendMail, type OutgoingMail } from '../mail/service.js';

export type CrmMail = OutgoingMail;

/** The CRM's one way out to mail: the mail module (outbox record, SMTP when configured). */
export async function sendCrmMail(app: FastifyInstance, mail: CrmMail): Promise<void> {
  await sendMail({ db: app.db, config: app.config, log: app.log }, mail);
}
