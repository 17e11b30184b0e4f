// In-memory shadows per thing: the classic shadow plus named shadows, with versions that survive deletion.
import { applyUpdate, ShadowError, type ShadowDocument, type UpdateOutcome, type UpdateRequest } from './shadow-document';

export interface ShadowRef {
  thingName: string;
  /** Undefined for the classic (unnamed) shadow. */
  shadowName?: string;
}

interface Entry {
  /** Undefined once deleted; the entry stays so the next document continues the version sequence. */
  document?: ShadowDocument;
  version: number;
}

/** Shadow names are at least one character long, so the empty key cannot collide with one. */
const CLASSIC = '';

export class ShadowStore {
  private readonly things = new Map<string, Map<string, Entry>>();

  get(ref: ShadowRef): ShadowDocument {
    const document = this.entry(ref)?.document;
    if (!document) throw notFound(ref);
    return document;
  }

  update(ref: ShadowRef, request: UpdateRequest, now: number): UpdateOutcome {
    const entry = this.entry(ref);
    const outcome = applyUpdate(entry?.document, request, now, entry?.version);
    let shadows = this.things.get(ref.thingName);
    if (!shadows) {
      shadows = new Map();
      this.things.set(ref.thingName, shadows);
    }
    shadows.set(ref.shadowName ?? CLASSIC, { document: outcome.document, version: outcome.document.version });
    return outcome;
  }

  /** Returns the version of the deleted document. */
  delete(ref: ShadowRef): number {
    const entry = this.entry(ref);
    if (!entry?.document) throw notFound(ref);
    delete entry.document;
    return entry.version;
  }

  private entry(ref: ShadowRef): Entry | undefined {
    return this.things.get(ref.thingName)?.get(ref.shadowName ?? CLASSIC);
  }
}

function notFound(ref: ShadowRef): ShadowError {
  return new ShadowError(404, `No shadow exists with name: '${ref.shadowName ?? ref.thingName}'`);
}
