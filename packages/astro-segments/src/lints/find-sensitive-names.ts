import type { ResolvedOptions } from '../validate-options.ts';
import { CONFIG_FILE, lint, type Lint } from './lint.ts';

/**
 * Words suggesting special-category traits (GDPR Article 9, plus criminal
 * records and immigration status). `stems` match the start of a word
 * (`pregnan` → pregnant, pregnancy); `words` match whole words only, so
 * `race` flags `race` but not `trace`, and `health` flags `mental_health` but
 * not `healthcare` (an industry you may sell to).
 */
const CATEGORIES: readonly { readonly trait: string; readonly words?: readonly string[]; readonly stems?: readonly string[] }[] = [
  {
    trait: 'health',
    words: ['health', 'illness', 'disease', 'patient', 'patients', 'hiv', 'cancer', 'diabetes', 'diabetic', 'mental', 'therapy'],
    stems: ['medic', 'diagnos'],
  },
  { trait: 'disability', stems: ['disab'] },
  { trait: 'pregnancy', stems: ['pregnan'] },
  {
    trait: 'religion or belief',
    words: ['faith', 'church', 'muslim', 'christian', 'jewish', 'hindu', 'buddhist', 'sikh', 'catholic', 'atheist'],
    stems: ['religio'],
  },
  { trait: 'racial or ethnic origin', words: ['race', 'races'], stems: ['ethnic', 'racial'] },
  {
    trait: 'sexual orientation or sex life',
    words: ['gay', 'lesbian', 'queer', 'transgender'],
    stems: ['sexual', 'homosexual', 'heterosexual', 'bisexual', 'lgbt'],
  },
  { trait: 'political opinions', stems: ['politic'] },
  { trait: 'trade-union membership', words: ['union', 'unions'] },
  { trait: 'immigration status', words: ['refugee', 'refugees', 'asylum'], stems: ['immigra', 'migrant'] },
  { trait: 'genetic or biometric data', stems: ['genetic', 'biometric'] },
  { trait: 'criminal record', words: ['criminal', 'conviction', 'convictions'] },
];

/** Sensitive traits a name or label suggests, with the word that suggests each. */
export function sensitiveTraits(text: string): { trait: string; word: string }[] {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const found: { trait: string; word: string }[] = [];
  words.forEach((word, index) => {
    // "European Union" names a place, not a membership.
    if (word.startsWith('union') && words[index - 1] === 'european') return;
    for (const category of CATEGORIES) {
      const hit = category.words?.includes(word) || category.stems?.some((stem) => word.startsWith(stem));
      if (hit && !found.some((f) => f.trait === category.trait)) found.push({ trait: category.trait, word });
    }
  });
  return found;
}

/** Dimension and value names (and labels) that suggest personalizing on a sensitive trait. */
export function findSensitiveNames(options: ResolvedOptions): Lint[] {
  const lints: Lint[] = [];
  const check = (path: string, texts: readonly string[]) => {
    const found = new Map<string, string>();
    for (const text of texts) for (const { trait, word } of sensitiveTraits(text)) if (!found.has(trait)) found.set(trait, word);
    for (const [trait, word] of found) {
      lints.push(
        lint(
          'sensitive-name',
          CONFIG_FILE,
          `${path}: "${word}" suggests ${trait}, a sensitive trait. Tailoring pages to it tells visitors (and anyone looking over their shoulder) what the site inferred about them.`,
          `Don't segment on sensitive traits. If the name means something else (an industry you sell to, a product), rename it or its label so it cannot be read that way.`,
        ),
      );
    }
  };
  for (const dimension of options.dimensions) {
    check(`dimensions.${dimension.name}`, [dimension.name]);
    for (const value of dimension.values) check(`dimensions.${dimension.name}.values.${value.name}`, [value.name, value.label]);
  }
  return lints;
}
