import { countryGroups } from './country-groups.ts';

/**
 * Named sets of countries for the legal regions sites most often mean, as
 * ISO 3166-1 alpha-2 codes (the code every host reports). Used only at build
 * time, like continents: a `countrySet` rule compiles to its countries.
 *
 * `continent: 'EU'` is Europe, a geographic grouping that also holds
 * Switzerland, Norway, the United Kingdom, Ukraine and Russia; "the European
 * Union" is `countrySet: 'eu'`. Membership as of 2026. Territories that are
 * part of a member state but have codes of their own (Åland AX, the French
 * outermost regions GF, GP, MQ, RE, YT, MF) are not included: hosts report them
 * under those codes, and whether EU rules or prices apply there depends on the
 * rule; add them with `country` where they should be.
 */
const EU = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE';

const TABLE = {
  /** The 27 member states of the European Union. */
  eu: EU,
  /** The European Economic Area: the EU plus Iceland, Liechtenstein and Norway (the area of the GDPR). */
  eea: `${EU} IS LI NO`,
  /** The European Free Trade Association: Iceland, Liechtenstein, Norway and Switzerland. */
  efta: 'IS LI NO CH',
  /** The United Kingdom, whose ISO code is GB (UK is not an ISO 3166-1 code). */
  uk: 'GB',
} as const;

export type CountrySet = keyof typeof TABLE;

export const countrySets = countryGroups(TABLE, {
  eu: 'the European Union',
  eea: 'the European Economic Area',
  efta: 'the EFTA countries',
  uk: 'the United Kingdom',
});
