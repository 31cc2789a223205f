/**
 * A person's consents as FHIR R4 Consent resources: the mapping (status, scope, category,
 * provision) and the export route with the same access rule as the consent history.
 */
import mongoose, { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { AuditEvent } from '../../server/models/AuditEvent';
import { Consent, type ConsentDoc } from '../../server/models/Consent';
import { toFhirConsentBundle, DATA_CATEGORY_SYSTEM } from '../../server/presenters/fhirConsent';

const HOUR = 3_600_000;

describe('toFhirConsentBundle', () => {
  const personId = new Types.ObjectId();
  const agencyId = new Types.ObjectId();
  const now = new Date('2026-06-01T12:00:00Z');
  const entry = (status: string, hoursAgo: number, props: Record<string, unknown> = {}) =>
    new Consent({
      personId, status, recordedBy: new Types.ObjectId(), recordedByAgency: agencyId,
      recordedAt: new Date(now.getTime() - hoursAgo * HOUR), evidence: 'form', ...props,
    }) as ConsentDoc;
  const only = (c: ConsentDoc) => toFhirConsentBundle([c], now).entry[0].resource;

  it.each([
    ['given', 'active', 'permit'],
    ['refused', 'rejected', 'deny'],
    ['withdrawn', 'inactive', 'deny'],
    ['not_asked', 'proposed', undefined],
    ['lacks_capacity', 'inactive', 'deny'],
  ])('maps a current %s entry to status %s, provision %s', (status, fhirStatus, type) => {
    const r = only(entry(status, 1));
    expect(r.status).toBe(fhirStatus);
    expect(r.provision.type).toBe(type);
    expect(r.extension).toEqual([{ url: expect.any(String), valueCode: status }]);
  });

  it('marks superseded and expired consents inactive, but a superseded refusal stays rejected', () => {
    const oldGiven = entry('given', 10);
    const oldRefusal = entry('refused', 5);
    const current = entry('given', 1);
    const b = toFhirConsentBundle([oldGiven, oldRefusal, current], now);
    expect(b.entry.map((e) => [e.resource.id, e.resource.status])).toEqual([
      [current.id, 'active'], [oldRefusal.id, 'rejected'], [oldGiven.id, 'inactive'],
    ]);
    expect(only(entry('given', 48, { expiresAt: new Date(now.getTime() - HOUR) })).status).toBe('inactive');
  });

  it('fills scope, category, patient, custodian, policy and the provision', () => {
    const police = new Types.ObjectId();
    const expiresAt = new Date(now.getTime() + 90 * 24 * HOUR);
    const c = entry('given', 2, {
      scope: { allPanel: false, agencies: [police], purposes: ['direct_care', 'safeguarding', 'risk_panel'], categories: ['mental_health', 'risk'] },
      expiresAt,
    });
    const b = toFhirConsentBundle([c], now);
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString() });
    expect(b.entry[0].resource).toEqual({
      resourceType: 'Consent',
      id: c.id,
      extension: [{ url: expect.any(String), valueCode: 'given' }],
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
      patient: { reference: `Patient/${personId}` },
      dateTime: c.recordedAt.toISOString(),
      performer: [{ reference: `Patient/${personId}` }],
      organization: [{ reference: `Organization/${agencyId}` }],
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      provision: {
        type: 'permit',
        period: { start: c.recordedAt.toISOString(), end: expiresAt.toISOString() },
        actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] }, reference: { reference: `Organization/${police}` } }],
        purpose: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
          { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HPRGRP', display: 'health program reporting' },
          { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'COC', display: 'coordination of care' },
        ],
        class: [
          { system: DATA_CATEGORY_SYSTEM, code: 'mental_health', display: 'Mental health' },
          { system: DATA_CATEGORY_SYSTEM, code: 'risk', display: 'Risk information' },
        ],
      },
    });
  });

  it('names "all panel agencies" by identifier and gives undecided entries a policy, no performer', () => {
    const all = only(entry('given', 1, { scope: { allPanel: true, agencies: [], purposes: ['crisis_response'], categories: [] } }));
    expect(all.provision.actor).toEqual([expect.objectContaining({ reference: { identifier: { system: 'urn:ccw:consent-scope', value: 'all_panel' }, display: 'All panel agencies' } })]);
    expect(all.provision.purpose).toEqual([expect.objectContaining({ code: 'ETREAT' })]);
    const notAsked = only(entry('not_asked', 1));
    expect(notAsked).not.toHaveProperty('performer');
    expect(notAsked).not.toHaveProperty('policyRule');
    expect(notAsked.policy).toHaveLength(1);
  });
});

describe('GET /api/people/:id/consents/fhir', () => {
  let app: TestApp;
  let scene: Awaited<ReturnType<typeof buildScene>>;
  let personId: string;
  beforeAll(async () => {
    app = await startTestApp('fhirconsent');
    scene = await buildScene();
    const subject = { givenName: 'Cora', familyName: 'Consenting', dateOfBirth: '1990-09-09' };
    personId = String((await buildEncounter(scene.trust, subject)).personId);
    await buildEncounter(scene.police, subject);
  });
  afterAll(async () => app.close());

  it('exports the history recorded through the API as a Bundle of Consents', async () => {
    const keyWorker = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    await keyWorker.post(`/api/people/${personId}/consents`, {
      status: 'given', scope: { agencies: [String(scene.police._id)], purposes: ['direct_care'], categories: ['mental_health'] }, evidence: 'signed form',
    }).expect(201);
    const res = await keyWorker.get(`/api/people/${personId}/consents/fhir`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(res.body.entry).toHaveLength(1);
    const r = res.body.entry[0].resource;
    expect(r).toMatchObject({
      resourceType: 'Consent', status: 'active', patient: { reference: `Patient/${personId}` },
      organization: [{ reference: `Organization/${scene.trust._id}` }],
      provision: { type: 'permit', actor: [{ reference: { reference: `Organization/${scene.police._id}` } }], purpose: [{ code: 'TREAT' }] },
    });
    expect(r.provision.period.end).toBe((await Consent.findById(r.id))!.expiresAt!.toISOString());
    const ev = await AuditEvent.findOne({ action: 'export', 'subject.personId': new mongoose.Types.ObjectId(personId) });
    expect(ev).toMatchObject({ outcome: 'allowed', reason: 'fhir_consent_bundle entries=1' });
  });

  it('is open to practitioners and IG leads of agencies that know the person', async () => {
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.police, mfa: true }));
    expect((await ig.get(`/api/people/${personId}/consents/fhir`)).status).toBe(200);
    const practitioner = await app.as(await buildUser({ agency: scene.police }));
    expect((await practitioner.get(`/api/people/${personId}/consents/fhir`)).status).toBe(200);
  });

  it('answers 404 to other agencies, roles without consent access and unknown people; 400 to bad ids', async () => {
    const housing = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.housing }));
    expect((await housing.get(`/api/people/${personId}/consents/fhir`)).status).toBe(404);
    const admin = await app.as(await buildUser({ roles: ['agency_admin'], agency: scene.trust, mfa: true }));
    expect((await admin.get(`/api/people/${personId}/consents/fhir`)).status).toBe(404);
    const trust = await app.as(await buildUser({ agency: scene.trust }));
    expect((await trust.get(`/api/people/${new mongoose.Types.ObjectId()}/consents/fhir`)).status).toBe(404);
    expect((await trust.get('/api/people/xyz/consents/fhir')).status).toBe(400);
    expect((await app.anon().get(`/api/people/${personId}/consents/fhir`)).status).toBe(401);
  });
});
