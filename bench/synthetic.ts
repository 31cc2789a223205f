/**
 * Synthetic UK-ish person records with known truth, for the linkage benchmark: each person gets
 * 1–5 records from different agencies, and copies carry the errors real referrals carry (typos,
 * nicknames, swapped names, transposed or mistyped dates, missing fields, moved house, postcode
 * typos, hyphenated surnames). Deterministic for a seed. No real person is described.
 */
import type { LinkRecord } from '../workers/linkage/normalise';

/** Records and the true person number of each. */
export interface SyntheticData {
  records: LinkRecord[];
  truth: Int32Array;
}

const COMMON_FAMILY = (
  'smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright walker white ' +
  'edwards hughes green hall lewis harris clarke patel jackson wood turner martin cooper hill ward morris moore clark ' +
  'lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young griffiths mitchell ' +
  'kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan marshall anderson simpson ellis ' +
  'adams singh begum wilkinson foster chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer ' +
  'holmes mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed'
).split(' ');

const COMMON_GIVEN = (
  'david john michael paul andrew mark james peter richard robert stephen christopher thomas daniel william matthew ' +
  'anthony ian simon jason gary kevin mohammed lee adam alan oliver jack harry george charlie jacob noah leo ' +
  'sarah susan margaret elizabeth karen helen julie emma claire nicola lisa amanda catherine rebecca victoria laura ' +
  'rachel jennifer joanne michelle louise patricia deborah amelia olivia isla ava emily sophia grace lily freya ' +
  'jessica chloe hannah megan samantha charlotte lucy amy katie jade natalie zoe ruth jane mary ann alice'
).split(' ');

const NICKNAME_OF: Record<string, string> = {
  william: 'bill', elizabeth: 'liz', robert: 'bob', james: 'jim', michael: 'mike', david: 'dave', thomas: 'tom',
  anthony: 'tony', christopher: 'chris', catherine: 'kate', susan: 'sue', margaret: 'maggie', jennifer: 'jenny',
  daniel: 'danny', matthew: 'matt', stephen: 'steve', andrew: 'andy', samantha: 'sam', rebecca: 'becky',
  victoria: 'vicky', deborah: 'debbie', amanda: 'mandy', peter: 'pete', richard: 'rick', john: 'jack', patricia: 'trish',
};

const SYLLABLES = 'ash bar bel bran brook by cal car chester dale den don ford gar ham har hen hol ing ker kin lan ley lin mar mer mon mor nor ol ridge ros sel shaw son stan ston ter thorn ton vel war wel wick win worth'.split(' ');
const GIVEN_SYLLABLES = 'a ab al an ar bel ca da el em fa ha is ja ka la le li lo ma mi na ni o ra ri ro sa se ta te vi ya za'.split(' ');
const AREAS = 'AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DH DL DN DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HU HX IG IP KT L LA LD LE LN LS LU M ME MK N NE NG NN NP NR NW OL OX PE PL PO PR RG RH RM S SE SG SK SL SM SN SO SP SR SS ST SW SY TA TF TN TQ TR TS TW UB W WA WD WF WN WR WS WV YO'.split(' ');
const STREETS = 'high church station park victoria green manor mill school queens kings new grange windsor york west north south east albert alexandra chapel springfield orchard meadow'.split(' ');
const STREET_KINDS = 'street road lane avenue close drive way gardens crescent court'.split(' ');
const TOWNS = 'leeds bradford sheffield york hull wakefield halifax huddersfield doncaster rotherham barnsley harrogate'.split(' ');
const AGENCIES = ['police', 'ae', 'ambulance', 'safe_haven', 'cmht', 'social_care'];

/** A small, fast, seedable PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  given: string;
  family: string;
  dob: string;
  nhs: string;
  postcode: string;
  address: string;
  identifier: string;
}

/** Generates about n records (exactly n) from persons with 1–5 records each. */
export function generateSynthetic(n: number, seed = 42): SyntheticData {
  const rand = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  // Half Zipf-like (low indices much more common), half uniform: "smith" ends up about 1.5%.
  const zipf = <T>(list: readonly T[]) =>
    rand() < 0.5 ? pick(list) : list[Math.min(list.length - 1, Math.floor(Math.exp(rand() * Math.log(list.length + 1)) - 1))];
  const digits = (k: number) => {
    let s = '';
    for (let i = 0; i < k; i++) s += Math.floor(rand() * 10);
    return s;
  };
  const letter = () => String.fromCharCode(97 + Math.floor(rand() * 26));
  const familyName = () => (rand() < 0.2 ? zipf(COMMON_FAMILY) : pick(SYLLABLES) + pick(SYLLABLES) + (rand() < 0.5 ? pick(SYLLABLES) : ''));
  const givenName = () => (rand() < 0.6 ? zipf(COMMON_GIVEN) : pick(GIVEN_SYLLABLES) + pick(GIVEN_SYLLABLES) + pick(GIVEN_SYLLABLES));
  const postcode = () =>
    `${pick(AREAS)}${1 + Math.floor(rand() * 20)} ${Math.floor(rand() * 10)}${String.fromCharCode(65 + Math.floor(rand() * 26))}${String.fromCharCode(65 + Math.floor(rand() * 26))}`;
  const nhsNumber = () => {
    for (;;) {
      const nine = digits(9);
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
      const check = 11 - (sum % 11);
      if (check !== 10) return nine + (check === 11 ? 0 : check);
    }
  };
  const newPerson = (): Person => {
    const y = 1935 + Math.floor(rand() * 75), m = 1 + Math.floor(rand() * 12), d = 1 + Math.floor(rand() * 28);
    return {
      given: givenName(),
      family: familyName(),
      dob: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      nhs: rand() < 0.7 ? nhsNumber() : '',
      postcode: postcode(),
      address: `${1 + Math.floor(rand() * 200)} ${pick(STREETS)} ${pick(STREET_KINDS)} ${pick(TOWNS)}`,
      identifier: rand() < 0.3 ? `PNC${digits(8)}` : '',
    };
  };
  const typo = (s: string) => {
    if (s.length < 3) return s;
    const i = 1 + Math.floor(rand() * (s.length - 1));
    const r = rand();
    if (r < 0.3) return s.slice(0, i) + letter() + s.slice(i + 1);
    if (r < 0.55) return s.slice(0, i) + s.slice(i + 1);
    if (r < 0.8) return s.slice(0, i) + letter() + s.slice(i);
    return i < s.length - 1 ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
  };
  // A mistyped digit; in a date only the day, month and decade/year digits (nobody types 5998).
  const digitTypo = (s: string) => {
    const positions = [...s].map((c, i) => (/\d/.test(c) && !(s[4] === '-' && i < 2) ? i : -1)).filter((i) => i >= 0);
    const i = pick(positions);
    return s.slice(0, i) + Math.floor(rand() * 10) + s.slice(i + 1);
  };
  const copy = (p: Person, agency: string, id: number): LinkRecord => {
    let given = p.given, family = p.family, dob = p.dob, pc = p.postcode, address = p.address;
    if (rand() < 0.06) given = NICKNAME_OF[given] ?? given;
    if (rand() < 0.08) given = typo(given);
    if (rand() < 0.08) family = typo(family);
    if (rand() < 0.02) family = `${family}-${familyName()}`;
    if (rand() < 0.02) [given, family] = [family, given];
    const r = rand();
    if (r < 0.02) dob = `${dob.slice(0, 5)}${dob.slice(8, 10)}-${dob.slice(5, 7)}`;
    else if (r < 0.05) dob = digitTypo(dob);
    else if (r < 0.08) dob = '';
    if (rand() < 0.1) {
      pc = postcode();
      address = `${1 + Math.floor(rand() * 200)} ${pick(STREETS)} ${pick(STREET_KINDS)} ${pick(TOWNS)}`;
    } else if (rand() < 0.04) pc = digitTypo(pc);
    if (rand() < 0.1) pc = '';
    if (rand() < 0.3) address = '';
    if (rand() < 0.03) given = '';
    if (rand() < 0.05) given = given.toUpperCase();
    return {
      recordId: `r${id}`,
      agency,
      givenName: given,
      familyName: family,
      dateOfBirth: dob,
      nhsNumber: p.nhs && rand() < 0.6 ? (rand() < 0.01 ? digitTypo(p.nhs) : p.nhs) : '',
      postcode: pc,
      address,
      identifier: p.identifier && agency === 'police' ? p.identifier : '',
    };
  };
  const records: LinkRecord[] = [];
  const truth = new Int32Array(n);
  let person = 0;
  while (records.length < n) {
    const p = newPerson();
    const r = rand();
    const copies = r < 0.4 ? 1 : r < 0.7 ? 2 : r < 0.85 ? 3 : r < 0.95 ? 4 : 5;
    for (let c = 0; c < copies && records.length < n; c++) {
      truth[records.length] = person;
      records.push(copy(p, pick(AGENCIES), records.length));
    }
    person++;
  }
  // Shuffle so copies of a person are not adjacent (Fisher–Yates on records and truth together).
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [records[i], records[j]] = [records[j], records[i]];
    const t = truth[i];
    truth[i] = truth[j];
    truth[j] = t;
  }
  return { records, truth };
}
