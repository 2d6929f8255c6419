import { v5 as uuidv5 } from 'uuid';

/** Namespace for ids derived from other ids, so a retried follow-up gets the same id. */
const DERIVED_ID_NAMESPACE = '8a6c7f3e-2f0d-5b7e-9a51-6f3c1d2e4b10';

export const derivedId = (...parts: string[]) => uuidv5(parts.join('/'), DERIVED_ID_NAMESPACE);
