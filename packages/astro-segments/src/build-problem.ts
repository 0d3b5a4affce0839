/** A content or config mistake, located, with its fix. Turned into an AstroError by the integration. */
export class BuildProblem extends Error {
  override name = 'BuildProblem';
  readonly where: string;
  readonly hint: string;
  constructor(where: string, message: string, hint: string) {
    super(message);
    this.where = where;
    this.hint = hint;
  }
}
