/**
 * Named lists of countries (continents, legal regions), as ISO 3166-1 alpha-2
 * codes: the code every host reports. Used only at build time: a rule naming a
 * group compiles to its countries, so the router needs nothing but the country.
 */
export interface CountryGroups<Name extends string> {
  readonly names: readonly Name[];
  /** How people read each group: "Europe", "the European Union". */
  readonly labels: Readonly<Record<Name, string>>;
  has(name: string): name is Name;
  countries(name: Name): string[];
}

/** `table` maps each name to its codes, separated by spaces. */
export function countryGroups<Name extends string>(table: Readonly<Record<Name, string>>, labels: Readonly<Record<Name, string>>): CountryGroups<Name> {
  return {
    names: Object.keys(table) as Name[],
    labels,
    has: (name: string): name is Name => Object.hasOwn(table, name),
    countries: (name) => table[name].split(' '),
  };
}

/** Whether a compiled country list is exactly this group (how the notice and the toolbar name it again). */
export function sameCountries(group: readonly string[], codes: ReadonlySet<string>): boolean {
  return group.length === codes.size && group.every((code) => codes.has(code));
}
