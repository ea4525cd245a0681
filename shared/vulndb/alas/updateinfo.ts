import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { UpdateinfoEvent, UpdateinfoPackage } from './update-element';

export type { UpdateinfoEvent, UpdateinfoPackage, UpdateinfoUpdate } from './update-element';

/** Past this a text is cut (a description of a kernel update lists dozens of CVEs). */
const MAX_TEXT = 64 * 1024;
/** An update listing more packages or references than this is not a real advisory. */
const MAX_ITEMS = 20_000;
/** XML errors tolerated inside updates before the rest of the file is given up on. */
const MAX_ERRORS = 100;

interface Building {
  index: number;
  type?: string;
  broken?: string;
  fields: Record<string, string>;
  cves: string[];
  packages: UpdateinfoPackage[];
}

/** The elements whose text is kept, by their parent `update`. */
const TEXT_FIELDS = new Set(['id', 'title', 'severity', 'description']);

/**
 * A push parser of `updateinfo.xml`: feed it text with {@link write} and {@link end}, take what
 * it read with {@link drain}. It holds one update at a time, never the file. An XML error inside
 * an update breaks that update only; one outside any update, or too many, stops the file
 * (`stopped`), keeping what was read before it.
 */
export class UpdateinfoReader {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private readonly events: UpdateinfoEvent[] = [];
  private readonly path: string[] = [];
  private current: Building | undefined;
  private text = '';
  private count = 0;
  private errors = 0;
  private rootSeen = false;
  private rootClosed = false;
  private stoppedWith: string | undefined;

  constructor() {
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.close(tag.name));
    this.parser.on('text', (text) => this.addText(text));
    this.parser.on('cdata', (text) => this.addText(text));
    this.parser.on('error', (error) => this.fail(error.message));
  }

  /** Whether the file was given up on: nothing more is read from it. */
  get stopped(): boolean {
    return this.stoppedWith !== undefined;
  }

  write(chunk: string): void {
    if (this.stopped) return;
    this.parser.write(chunk);
  }

  /** The input is over: an update or document left open is reported as cut short. */
  end(): void {
    if (this.stopped) return;
    this.parser.close();
    if (!this.stopped && !this.rootClosed)
      this.stop(this.rootSeen ? 'the document is cut short' : 'the file is empty');
  }

  /** Stops reading because of something outside the XML (a damaged gzip stream). */
  abort(reason: string): void {
    if (!this.stopped) this.stop(reason);
  }

  /** What was read since the last call. */
  drain(): UpdateinfoEvent[] {
    return this.events.splice(0);
  }

  private open(tag: SaxesTagPlain): void {
    if (this.stopped) return;
    this.path.push(tag.name);
    const depth = this.path.length;
    if (depth === 1) return this.openRoot(tag.name);
    if (depth === 2 && tag.name === 'update') {
      this.current = {
        index: ++this.count,
        ...(tag.attributes.type !== undefined && { type: tag.attributes.type }),
        fields: {},
        cves: [],
        packages: [],
      };
      return;
    }
    if (this.current !== undefined) this.openInUpdate(this.current, tag, depth);
  }

  /** An element inside an update: a date, a CVE reference, a package, or a text field. */
  private openInUpdate(update: Building, tag: SaxesTagPlain, depth: number): void {
    this.text = '';
    const parent = this.path[depth - 2];
    const { attributes } = tag;
    if (depth === 3 && (tag.name === 'issued' || tag.name === 'updated')) {
      if (attributes.date !== undefined) update.fields[tag.name] = attributes.date;
    } else if (tag.name === 'reference' && parent === 'references') {
      if (attributes.type?.toLowerCase() === 'cve' && attributes.id !== undefined)
        this.addItem(update, update.cves, attributes.id);
    } else if (tag.name === 'package' && parent === 'collection') {
      const { name, epoch, version, release, arch } = attributes;
      this.addItem(update, update.packages, { name, epoch, version, release, arch });
    }
  }

  private openRoot(name: string): void {
    this.rootSeen = true;
    if (name !== 'updates') this.stop(`not an updateinfo document: its root is <${name}>`);
  }

  private addItem<T>(update: Building, list: T[], item: T): void {
    if (list.length >= MAX_ITEMS) update.broken ??= `lists more than ${MAX_ITEMS} items`;
    else list.push(item);
  }

  private addText(text: string): void {
    if (this.stopped || this.current === undefined || this.path.length !== 3) return;
    if (this.text.length < MAX_TEXT) this.text += text.slice(0, MAX_TEXT - this.text.length);
  }

  private close(name: string): void {
    if (this.stopped) return;
    const depth = this.path.length;
    this.path.pop();
    const update = this.current;
    if (depth === 1) this.rootClosed = true;
    if (update === undefined) return;
    if (depth === 3 && TEXT_FIELDS.has(name)) update.fields[name] = this.text.trim();
    if (depth === 2 && name === 'update') {
      this.current = undefined;
      this.events.push(finished(update));
    }
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.errors++;
    const update = this.current;
    if (update !== undefined && this.errors <= MAX_ERRORS) {
      update.broken ??= `XML error: ${message}`;
      return;
    }
    this.stop(
      this.errors > MAX_ERRORS
        ? `more than ${MAX_ERRORS} XML errors; the last: ${message}`
        : `XML error: ${message}`,
    );
  }

  /** Gives up on the rest: an update left open is reported broken, then the stop itself. */
  private stop(reason: string): void {
    const update = this.current;
    if (update !== undefined) {
      this.current = undefined;
      const id = update.fields.id;
      this.events.push({
        kind: 'broken',
        index: update.index,
        ...(id && { id }),
        reason: update.broken ?? `the file ends inside it (${reason})`,
      });
    }
    this.stoppedWith = reason;
    this.events.push({ kind: 'stopped', reason });
  }
}

function finished(update: Building): UpdateinfoEvent {
  const { id, title, issued, updated, severity, description } = update.fields;
  if (update.broken !== undefined)
    return { kind: 'broken', index: update.index, ...(id && { id }), reason: update.broken };
  return {
    kind: 'update',
    update: {
      index: update.index,
      ...(update.type !== undefined && { type: update.type }),
      ...(id !== undefined && { id }),
      ...(title !== undefined && { title }),
      ...(issued !== undefined && { issued }),
      ...(updated !== undefined && { updated }),
      ...(severity !== undefined && { severity }),
      ...(description !== undefined && { description }),
      cves: update.cves,
      packages: update.packages,
    },
  };
}
