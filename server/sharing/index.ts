/**
 * The sharing module (DESIGN.md §5): one pure decision, `decide`, used by every route,
 * presenter, socket handler and export, plus the consent and summary helpers it builds on.
 */
export { decide } from './decide';
export { basisFitsConsent, consentGap, effectiveConsent, offeredBases, type ConsentGap } from './consent';
export { summariseWithheld, type WithheldMarker } from './summary';
export * from './types';
