/**
 * What a fault run reads from an executed guide, cell by cell: the text each code cell printed, its
 * note lines (a step that could not run, or was skipped), signs of an error shown raw (an axios
 * dump, a stack trace), and which earlier cells it takes names from. tslab keeps a cell's top-level
 * names for the cells after it, so a cell needs what an earlier one computed exactly when it uses
 * a name that cell declares.
 */
import ts from "typescript";
import { STEP_FAILED, STEP_SKIPPED } from "../../src/steps";
import { loadNotebook, text, type NotebookCell } from "../notebook";

/** One code cell that runs, as executed. */
export interface CellText {
  /** From 1, among the code cells that run (the runner's numbering). */
  number: number;
  source: string;
  /** Everything it printed or showed as text. */
  output: string;
}

/** The code cells a kernel runs (the runner's rule: not empty, not tagged skip-execution). */
function runs(cell: NotebookCell): boolean {
  return cell.cell_type === "code" && text(cell.source).trim() !== "" && !(cell.metadata?.tags ?? []).includes("skip-execution");
}

/** The code cells of an executed notebook, with what each printed. */
export function readCells(file: string): CellText[] {
  return loadNotebook(file)
    .cells.filter(runs)
    .map((cell, i) => ({ number: i + 1, source: text(cell.source), output: outputText(cell) }));
}

/** A cell's outputs as text: streams, the plain-text form of results and displays, and error outputs. */
export function outputText(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .map((o) => {
      if (o.output_type === "stream") return text(o.text);
      if (o.output_type === "error") {
        const e = o as { ename?: string; evalue?: string; traceback?: string[] };
        return [`${e.ename ?? ""}: ${e.evalue ?? ""}`, ...(e.traceback ?? [])].join("\n");
      }
      return text(o.data?.["text/plain"] as string | string[] | undefined);
    })
    .join("\n");
}

/** The lines of `output` that are a step's note. */
export function noteLines(output: string): string[] {
  return output.split("\n").filter((line) => line.startsWith(STEP_FAILED) || line.startsWith(STEP_SKIPPED));
}

/** An error shown raw rather than said: axios' error dump, or a frame of a stack trace. */
const RAW_ERROR = [/AxiosError/, /^\s+at .*(:\d+:\d+\)?|\(node:[^)]*\))$/];

/** The lines of `output` that show an error raw (at most three, for a message). */
export function rawErrorLines(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => RAW_ERROR.some((sign) => sign.test(line)))
    .slice(0, 3);
}

/** The names `name` binds: an identifier, or every identifier of a destructuring pattern. */
function bound(name: ts.BindingName, into: string[]): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bound(element.name, into);
  return into;
}

/** The names the statements of one scope declare: variables, functions, classes, types, enums and imports. */
function declaredIn(statements: readonly ts.Statement[]): string[] {
  const names: string[] = [];
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) bound(d.name, names);
    else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.push(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
      else if (bindings) for (const element of bindings.elements) names.push(element.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.push(statement.name.text);
    }
  }
  return names;
}

const parse = (source: string): ts.SourceFile => ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** The top-level names a cell declares: what later cells can use. */
export function declaredNames(source: string): string[] {
  return declaredIn(parse(source).statements);
}

/** The names a scope inside a cell makes local: parameters, a block's declarations, loop and catch variables. */
function localNames(node: ts.Node): string[] {
  const names: string[] = [];
  if (ts.isFunctionLike(node)) {
    for (const parameter of node.parameters) bound(parameter.name, names);
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) names.push(node.name.text);
  }
  if (ts.isBlock(node) || ts.isModuleBlock(node)) names.push(...declaredIn(node.statements));
  if (ts.isCaseClause(node) || ts.isDefaultClause(node)) names.push(...declaredIn(node.statements));
  const loop = ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
  if (loop && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    for (const d of node.initializer.declarations) bound(d.name, names);
  }
  if (ts.isCatchClause(node) && node.variableDeclaration) bound(node.variableDeclaration.name, names);
  return names;
}

/**
 * The names a cell uses from outside itself: its identifiers, without those that name a property
 * or member (`{ a: 1 }`, `x.a`), a declaration, or something local to a function, block or loop of
 * the cell (a parameter `cursor` is not an earlier cell's `cursor`), but with shorthand properties
 * (`{ a }`).
 */
export function usedNames(source: string): Set<string> {
  const used = new Set<string>();
  const visit = (node: ts.Node, locals: ReadonlySet<string>): void => {
    if (ts.isIdentifier(node) && !namesSomethingElse(node) && !locals.has(node.text)) used.add(node.text);
    const own = localNames(node);
    const inner = own.length === 0 ? locals : new Set([...locals, ...own]);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(parse(source), new Set());
  return used;
}

function namesSomethingElse(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  if (ts.isQualifiedName(parent)) return parent.right === id;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return true;
  return (parent as { name?: ts.Node }).name === id;
}

/** For each cell (by index), the indexes of the earlier cells it takes a name from (the latest to declare each). */
export function cellDependencies(sources: readonly string[]): number[][] {
  const declaredBy = new Map<string, number>();
  return sources.map((source, index) => {
    const from = new Set<number>();
    const own = declaredNames(source);
    for (const name of usedNames(source)) {
      const at = own.includes(name) ? undefined : declaredBy.get(name);
      if (at !== undefined) from.add(at);
    }
    for (const name of own) declaredBy.set(name, index);
    return [...from].sort((a, b) => a - b);
  });
}

/** `seeds` and every cell that takes a name, directly or through other cells, from one of them (indexes). */
export function dependents(dependencies: readonly number[][], seeds: ReadonlySet<number>): Set<number> {
  const reached = new Set<number>();
  dependencies.forEach((from, index) => {
    if (seeds.has(index) || from.some((i) => reached.has(i))) reached.add(index);
  });
  return reached;
}
