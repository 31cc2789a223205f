/** An agency's map from its own risk codes to the common taxonomy (server/routes/codeMap). */
import { api } from './client';

/** The common risk categories (config/domain/taxonomy.json). */
export const RISK_CATEGORIES = [
  'suicide',
  'self_harm',
  'harm_to_others',
  'mental_state',
  'self_neglect',
  'exploitation',
  'domestic_abuse',
  'substance_misuse',
  'physical_health',
  'safeguarding_child',
  'safeguarding_adult',
  'staff_safety',
  'missing',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** The common risk levels, lowest first. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What a local code may look like (the server's rule). */
export const LOCAL_CODE = /^[A-Za-z0-9._:/-]{1,50}$/;

export interface CodeMapping {
  localCode: string;
  category: RiskCategory;
  level: RiskLevel;
  label: string | null;
}

export interface CodeMappingInput {
  category: RiskCategory;
  level: RiskLevel;
  label?: string;
}

export const codeMapApi = {
  /** The caller's agency's map, by local code. Any signed-in user of the agency. */
  list: () => api.get<{ mappings: CodeMapping[] }>('/api/code-map'),
  /** Creates or replaces the mapping for `code` (agency admins). */
  save: (code: string, input: CodeMappingInput) =>
    api.put<{ mapping: CodeMapping }>(`/api/code-map/${encodeURIComponent(code)}`, input),
  /** 204; 404 when the code is not mapped. */
  remove: (code: string) => api.delete<void>(`/api/code-map/${encodeURIComponent(code)}`),
};
