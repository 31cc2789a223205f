import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { SharingAgreement } from '../../server/models/SharingAgreement';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('agreements');
});
afterAll(async () => app.close());

async function igLead() {
  const own = await buildAgency({ kind: 'mental_health' });
  const other = await buildAgency({ kind: 'police' });
  const session = await app.as(await buildUser({ roles: ['ig_lead'], agency: own, mfa: true }));
  return { own, other, session };
}

const body = (parties: string[]) => ({
  title: 'Crisis concordat information sharing',
  parties,
  purposes: ['direct_care', 'risk_panel'],
  categories: ['demographics', 'risk'],
  lawfulBasis: { article6: '6(1)(e) public task', article9: '9(2)(h) health or social care' },
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2027-12-31T23:59:59Z',
});

describe('/api/agreements', () => {
  it('lets an IG lead draft an agreement with another agency and activate it', async () => {
    const { own, other, session } = await igLead();
    const created = await session.post('/api/agreements', body([own.id, other.id]));
    expect(created.status).toBe(201);
    expect(created.body.agreement).toMatchObject({ status: 'draft', inForce: false, parties: [own.id, other.id] });
    const id = created.body.agreement.id as string;
    const active = await session.post(`/api/agreements/${id}/status`, { status: 'active' });
    expect(active.status).toBe(200);
    expect(active.body.agreement.inForce).toBe(true);
    const list = await session.get('/api/agreements');
    expect(list.body.agreements.map((a: { id: string }) => a.id)).toContain(id);
  });

  it('refuses an impossible status change with 409 and leaves the agreement as it was', async () => {
    const { own, other, session } = await igLead();
    const { body: b } = await session.post('/api/agreements', body([own.id, other.id]));
    await session.post(`/api/agreements/${b.agreement.id}/status`, { status: 'ended' }).expect(200);
    const res = await session.post(`/api/agreements/${b.agreement.id}/status`, { status: 'active' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invalid_transition');
    expect((await SharingAgreement.findById(b.agreement.id))!.status).toBe('ended');
  });

  it.each([
    ['without the own agency', (own: string, other: string, third: string) => body([other, third]), /^parties: must include your own agency/],
    ['with an unknown agency', (own: string) => body([own, '0123456789abcdef01234567']), /^parties: includes an unknown agency/],
    ['with one party', (own: string) => body([own]), /^parties:/],
    ['with a status (mass assignment)', (own: string, other: string) => ({ ...body([own, other]), status: 'active' }), /status|Unrecognized/],
    ['ending before it starts', (own: string, other: string) => ({ ...body([own, other]), validTo: '2025-01-01T00:00:00Z' }), /^validTo:/],
    ['with an unknown purpose', (own: string, other: string) => ({ ...body([own, other]), purposes: ['marketing'] }), /^purposes\.0:/],
  ])('refuses an agreement %s with 400', async (_n, make, message) => {
    const { own, other, session } = await igLead();
    const third = await buildAgency();
    const res = await session.post('/api/agreements', make(own.id, other.id, third.id));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('hides another agency\'s agreement (404) and refuses non-IG roles (403)', async () => {
    const a = await igLead();
    const b = await igLead();
    const { body: created } = await a.session.post('/api/agreements', body([a.own.id, a.other.id]));
    expect((await b.session.get(`/api/agreements/${created.agreement.id}`)).status).toBe(404);
    expect((await b.session.post(`/api/agreements/${created.agreement.id}/status`, { status: 'active' })).status).toBe(404);
    const practitioner = await app.as(await buildUser({ roles: ['practitioner'], agency: a.own }));
    expect((await practitioner.get('/api/agreements')).status).toBe(403);
  });
});
