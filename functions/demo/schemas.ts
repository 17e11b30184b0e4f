import { z } from 'zod';
import { siteIdSchema } from '#shared/identity';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const noteParamsSchema = z.object({ siteId: siteIdSchema, noteId: id });

export const createNoteSchema = z.strictObject({ text: z.string().trim().min(1).max(500) });
export type CreateNote = z.infer<typeof createNoteSchema>;

export const noteSchema = z.object({
  siteId: z.string(),
  noteId: z.string(),
  text: z.string(),
  createdAt: z.string(),
  eventDeliveries: z.number().int(),
});
export type Note = z.infer<typeof noteSchema>;

export const noteCreatedDataSchema = z.object({ noteId: id });
