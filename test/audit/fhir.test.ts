/** Audit events as FHIR R4 AuditEvent resources. */
import { Types } from 'mongoose';
import { toFhirAuditEvent } from '../../server/audit/fhir';
import type { AuditEventAttrs } from '../../server/models/AuditEvent';

const userId = new Types.ObjectId();
const apiClientId = new Types.ObjectId();
const agencyId = new Types.ObjectId();
const personId = new Types.ObjectId();
const at = new Date('2025-03-04T05:06:07.000Z');

function ev(over: Partial<AuditEventAttrs>): AuditEventAttrs {
  return {
    seq: 42, at, actor: { userId, agencyId, roles: ['practitioner'] }, action: 'person.read',
    subject: { type: 'person', id: personId.toHexString(), personId }, purpose: 'direct_care', outcome: 'allowed',
    reason: 'own agency', basis: { kind: 'consent', ref: 'c1' }, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), ...over,
  } as AuditEventAttrs;
}

describe('toFhirAuditEvent', () => {
  it('maps a person read: rest/read, R, outcome 0, the practitioner as requestor, the patient as entity', () => {
    const r = toFhirAuditEvent(ev({}), { observer: 'Test workspace' });
    expect(r).toMatchObject({
      resourceType: 'AuditEvent',
      id: 'audit-42',
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
      action: 'R',
      recorded: '2025-03-04T05:06:07.000Z',
      outcome: '0',
      purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }], text: 'direct_care' }],
      agent: [{ who: { reference: `Practitioner/${userId.toHexString()}` }, requestor: true, role: [{ text: 'practitioner' }] }],
      source: { observer: { display: 'Test workspace' } },
      entity: [{ what: { reference: `Patient/${personId.toHexString()}` }, role: { code: '1', display: 'Patient' } }],
    });
    expect(r.agent[0].policy).toEqual(['urn:ccw:basis:consent:c1', `urn:ccw:agency:${agencyId.toHexString()}`]);
    expect(r.entity).toHaveLength(1);
  });

  it('maps break-glass to a DICOM security alert / emergency override with emergency purpose', () => {
    const r = toFhirAuditEvent(ev({ action: 'break_glass', purpose: 'break_glass', basis: { kind: 'break_glass', ref: 'bg1' } }));
    expect(r.type).toMatchObject({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110113' });
    expect(r.subtype).toEqual([{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110127', display: 'Emergency Override Started' }]);
    expect(r.purposeOfEvent?.[0].coding?.[0].code).toBe('ETREAT');
  });

  it('names an agency system as a Device and the encounter as a second entity', () => {
    const encounterId = new Types.ObjectId().toHexString();
    const r = toFhirAuditEvent(ev({ actor: { apiClientId, agencyId }, action: 'encounter.create', subject: { type: 'encounter', id: encounterId, personId }, outcome: 'succeeded' }));
    expect(r).toMatchObject({ action: 'C', subtype: [{ code: 'create' }], outcome: '0' });
    expect(r.agent[0].who).toEqual({ reference: `Device/${apiClientId.toHexString()}` });
    expect(r.entity?.map((e) => e.what)).toEqual([{ reference: `Patient/${personId.toHexString()}` }, { reference: `Encounter/${encounterId}` }]);
  });

  it('codes outcomes 0/4/8 and keeps the reason in outcomeDesc', () => {
    expect(toFhirAuditEvent(ev({ outcome: 'redacted' })).outcome).toBe('4');
    expect(toFhirAuditEvent(ev({ outcome: 'denied', reason: 'no basis' }))).toMatchObject({ outcome: '4', outcomeDesc: 'denied: no basis' });
    expect(toFhirAuditEvent(ev({ outcome: 'failed' })).outcome).toBe('8');
  });

  it('maps a search with no subject id and an unknown purpose (text only)', () => {
    const r = toFhirAuditEvent(ev({ action: 'person.search', subject: { type: 'search' }, purpose: 'housing_review' }));
    expect(r).toMatchObject({ action: 'E', subtype: [{ code: 'search-type' }] });
    expect(r.entity).toBeUndefined();
    expect(r.purposeOfEvent).toEqual([{ text: 'housing_review' }]);
  });

  it('maps a login with no known user to an unauthenticated agent', () => {
    const r = toFhirAuditEvent(ev({ action: 'auth.login', actor: {}, subject: { type: 'session' }, outcome: 'failed', purpose: undefined }));
    expect(r.type.code).toBe('110114');
    expect(r.subtype?.[0].code).toBe('110122');
    expect(r.agent[0].who).toMatchObject({ display: 'unauthenticated' });
    expect(r.purposeOfEvent).toBeUndefined();
  });
});
