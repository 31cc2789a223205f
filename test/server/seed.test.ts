import mongoose from 'mongoose';
import { testDbUri } from '../helpers/db';
import { seedDemo, DEMO_USERS, DEMO_AGENCIES } from '../../server/seed/demo';
import { DEMO_PEOPLE } from '../../server/seed/people';
import { Agency } from '../../server/models/Agency';
import { User } from '../../server/models/User';
import { Person } from '../../server/models/Person';
import { Encounter } from '../../server/models/Encounter';
import '../../server/store/connection';

beforeAll(async () => {
  await mongoose.connect(testDbUri('seed'));
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
});
afterAll(async () => {
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
});

describe('demo seed', () => {
  it('creates agencies, one user per role, and synthetic people linked across agencies, once', async () => {
    expect(await seedDemo()).toBe(true);
    expect(await Agency.countDocuments()).toBe(DEMO_AGENCIES.length);
    const users = await User.find();
    expect(users).toHaveLength(DEMO_USERS.length);
    const roles = new Set(users.flatMap((u) => u.roles));
    for (const r of ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager', 'ig_lead', 'agency_admin', 'system_admin']) expect(roles).toContain(r);
    expect(await Person.countDocuments()).toBe(DEMO_PEOPLE.length);
    expect(await Encounter.countDocuments()).toBe(DEMO_PEOPLE.reduce((n, p) => n + p.contacts.length, 0));
    const first = await Person.findOne({ 'demographics.nhsNumber': '9990000026' });
    expect(first!.agencyIds.length).toBe(4);
    // A second start seeds nothing.
    expect(await seedDemo()).toBe(false);
    expect(await Agency.countDocuments()).toBe(DEMO_AGENCIES.length);
  });
});
