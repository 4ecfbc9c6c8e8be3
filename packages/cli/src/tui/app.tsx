import { Box, Text } from "ink";
import { useEffect, useMemo, type ReactNode } from "react";
import { ApprovalPrompt } from "./components/approval-prompt.js";
import { Composer } from "./components/composer.js";
import { ListPicker } from "./components/list-picker.js";
import { MentionPopup } from "./components/mention-popup.js";
import { Pager } from "./components/pager.js";
import { PendingPreview } from "./components/pending-preview.js";
import { RolePanel } from "./components/role-panel.js";
import { SlashPopup } from "./components/slash-popup.js";
import { StatusLine } from "./components/status-line.js";
import { ThemeProvider, useTheme } from "./components/theme-context.js";
import { LiveTail, Transcript } from "./components/transcript.js";
import { useTuiSnapshot } from "./hooks/use-controller.js";
import { useTerminalSize, type SizedOutput } from "./hooks/use-terminal-size.js";
import { layoutApproval } from "./layout/approval-layout.js";
import { composerRows } from "./layout/composer-layout.js";
import { cachedLiveTail } from "./layout/live-tail-layout.js";
import { layoutPending } from "./layout/pending-layout.js";
import { expandCell } from "./layout/pager-layout.js";
import { layoutListPicker, layoutMentionPopup, layoutSlashPopup } from "./layout/list-layout.js";
import { layoutRolePanel, rolePanelDemand } from "./layout/role-panel-layout.js";
import type { TuiController, TuiSnapshot } from "./runtime/tui-controller.js";
import { composerView } from "./state/composer-view.js";
import type { Cell } from "./state/cells.js";
import { budgetLiveArea, COMPOSER_CHROME } from "./state/height-budget.js";
import { pickerMatches } from "./state/picker-intents.js";
import { roleRows } from "./state/role-activity.js";
import { isBusy, type SessionState } from "./state/session-state.js";
import { matchCommands } from "./state/slash-parse.js";
import type { Theme } from "./theme.js";

/** Props of {@link App}. */
export interface AppProps {
  controller: TuiController;
  /** Where the size comes from (`process.stdout`). */
  output: SizedOutput;
  theme: Theme;
}

/**
 * The screen, top to bottom: the printed transcript (`<Static>`), the live tail, the role panel,
 * waiting inputs, one prompt or popup, the composer, the status line. The live blocks share
 * `rows - 1` rows (the height budget), so ink never falls back to reprinting the whole session.
 */
export function App({ controller, output, theme }: AppProps): ReactNode {
  return (
    <ThemeProvider theme={theme}>
      <Screen controller={controller} output={output} />
    </ThemeProvider>
  );
}

function Screen({ controller, output }: Omit<AppProps, "theme">): ReactNode {
  const snapshot = useTuiSnapshot(controller);
  const { columns, rows } = useTerminalSize(output);
  const width = Math.max(20, columns);
  const { session } = snapshot;
  if (session.pager)
    return (
      <>
        <Transcript
          key={snapshot.epoch}
          committed={snapshot.committed}
          committedBefore={snapshot.committedBefore}
          width={width}
        />
        <PagerView controller={controller} snapshot={snapshot} width={width} rows={rows} />
      </>
    );
  const busy = isBusy(session);
  const view = composerView(session.composer);
  const pending = session.pending.filter(({ kind }) => kind !== "turn");
  const roles = roleRows(snapshot.roles);
  const selectedRole =
    roles[Math.min(snapshot.roleSelected, Math.max(0, roles.length - 1))]?.role ?? null;
  const expanded = snapshot.rolesExpanded ? selectedRole : null;
  const shownApproval = session.approvals[0];
  const approvalFocus = session.approvalFocus === "composer" ? "composer" : "panel";
  const slashItems =
    session.overlay.type === "slash"
      ? matchCommands(session.overlay.query, busy).map(({ command, enabled }) => ({
          name: command.name,
          description: command.description,
          ...(command.argsHint ? { argsHint: command.argsHint } : {}),
          disabled: !enabled,
        }))
      : [];
  const mentionPaths = session.overlay.type === "mention" ? (session.overlay.results ?? []) : [];
  const picker = session.picker;
  const pickerItems = picker ? pickerMatches(picker) : [];
  const note = session.approvalFocus === "note" ? composerView(session.note) : undefined;
  const approvalLayout = {
    selected: session.approvalSelected,
    focus: approvalFocus,
    waiting: Math.max(0, session.approvals.length - 1),
    ...(note ? { note } : {}),
  } as const;
  const overlayDemand = shownApproval
    ? layoutApproval(shownApproval.request, { ...approvalLayout, width, maxHeight: 100 }).length
    : picker
      ? Math.max(1, pickerItems.length) + 2
      : session.overlay.type === "slash"
        ? slashItems.length
        : session.overlay.type === "mention"
          ? Math.max(1, mentionPaths.length)
          : 0;
  const budget = budgetLiveArea(rows, {
    composer: composerRows(view, width) + COMPOSER_CHROME,
    overlay: overlayDemand,
    preview: layoutPending(pending, width, 100).length,
    roles: rolePanelDemand(roles, expanded),
    tail: cachedLiveTail(snapshot.live, { width, now: snapshot.now, maxHeight: rows }).length,
  });
  const lastCommitted = snapshot.committed[snapshot.committed.length - 1];
  // Where the composer starts in the live area: the real cursor goes there (input methods).
  const overlayRows = shownApproval
    ? layoutApproval(shownApproval.request, {
        ...approvalLayout,
        width,
        maxHeight: budget.overlay,
      }).length
    : picker
      ? layoutListPicker(
          picker.title,
          pickerItems,
          picker.selected,
          picker.filter,
          width,
          budget.overlay,
        ).length
      : session.overlay.type === "slash"
        ? layoutSlashPopup(
            slashItems,
            session.overlay.selected,
            session.overlay.query,
            width,
            budget.overlay,
          ).length
        : session.overlay.type === "mention"
          ? layoutMentionPopup(
              mentionPaths,
              session.overlay.selected,
              session.overlay.query,
              width,
              budget.overlay,
            ).length
          : 0;
  const rowsAbove =
    cachedLiveTail(snapshot.live, {
      width,
      now: snapshot.now,
      maxHeight: budget.tail,
      lastCommitted,
    }).length +
    layoutRolePanel(roles, {
      width,
      now: snapshot.now,
      maxHeight: budget.roles,
      expanded,
      selected: selectedRole,
    }).length +
    layoutPending(pending, width, budget.preview).length +
    overlayRows;
  return (
    <>
      <Transcript
        key={snapshot.epoch}
        committed={snapshot.committed}
        committedBefore={snapshot.committedBefore}
        width={width}
      />
      <Box flexDirection="column">
        <LiveTail
          cells={snapshot.live}
          lastCommitted={lastCommitted}
          width={width}
          now={snapshot.now}
          maxHeight={budget.tail}
        />
        <RolePanel
          rows={roles}
          now={snapshot.now}
          width={width}
          maxHeight={budget.roles}
          expanded={expanded}
          selected={selectedRole}
        />
        <PendingPreview items={pending} width={width} maxHeight={budget.preview} />
        {shownApproval ? (
          <ApprovalPrompt
            request={shownApproval.request}
            {...approvalLayout}
            width={width}
            maxHeight={budget.overlay}
          />
        ) : picker ? (
          <ListPicker
            title={picker.title}
            items={pickerItems}
            selected={picker.selected}
            filter={picker.filter}
            width={width}
            maxHeight={budget.overlay}
          />
        ) : session.overlay.type === "slash" ? (
          <SlashPopup
            items={slashItems}
            selected={session.overlay.selected}
            filter={session.overlay.query}
            width={width}
            maxHeight={budget.overlay}
          />
        ) : session.overlay.type === "mention" ? (
          <MentionPopup
            paths={mentionPaths}
            selected={session.overlay.selected}
            query={session.overlay.query}
            width={width}
            maxHeight={budget.overlay}
          />
        ) : null}
        <Composer
          {...view}
          width={width}
          maxHeight={budget.composer}
          placeholder={
            busy
              ? "Steer the turn (Enter) or queue for the next (Tab)"
              : "Ask hedge to do something"
          }
          hint={hintFor(session, pending.length > 0)}
          focused={!picker && (!shownApproval || session.approvalFocus === "composer")}
          rowsAbove={rowsAbove}
        />
        <Status snapshot={snapshot} running={roles.map(({ role }) => role)} width={width} />
      </Box>
    </>
  );
}

/** Kinds whose cell folds something away (what Ctrl+O pages). */
const FOLDING: ReadonlySet<Cell["kind"]> = new Set(["command", "file-change", "reasoning"]);

/**
 * The pager: the last cell that folds something (a command's output, a diff, reasoning) whole,
 * in the live area (one row less than the terminal: never ink's full-redraw path).
 */
function PagerView({
  controller,
  snapshot,
  width,
  rows,
}: {
  controller: TuiController;
  snapshot: TuiSnapshot;
  width: number;
  rows: number;
}): ReactNode {
  const committed = snapshot.committed;
  const target =
    [...committed].reverse().find((cell) => FOLDING.has(cell.kind)) ?? committed.at(-1);
  const lines = useMemo(() => (target ? expandCell(target, width) : []), [target, width]);
  const height = Math.max(3, rows - 1);
  const page = Math.max(1, height - 2);
  const max = Math.max(0, lines.length - page);
  useEffect(() => {
    controller.dispatch({ type: "pagerLayout", max, page });
  }, [controller, max, page]);
  const title = target ? pagerTitle(target) : "Nothing to page yet";
  return (
    <Pager
      title={title}
      lines={lines}
      offset={snapshot.session.pager?.offset ?? 0}
      width={width}
      height={height}
    />
  );
}

function pagerTitle(cell: Cell): string {
  switch (cell.kind) {
    case "command":
      return `Output of ${cell.command}`;
    case "file-change":
      return "Changes";
    case "reasoning":
      return "Reasoning";
    default:
      return "Last cell";
  }
}

function Status({
  snapshot,
  running,
  width,
}: {
  snapshot: TuiSnapshot;
  running: readonly string[];
  width: number;
}): ReactNode {
  const theme = useTheme();
  if (!snapshot.thread)
    return (
      <Text {...theme.style("muted")} wrap="truncate-end">
        connecting…
      </Text>
    );
  return (
    <StatusLine
      status={{
        thread: snapshot.thread,
        running,
        now: snapshot.now,
        ...(snapshot.usage ? { usage: snapshot.usage } : {}),
      }}
      width={width}
    />
  );
}

/** The line under the composer: a notice when there is one, else the keys that matter now. */
function hintFor(session: SessionState, waiting: boolean): string {
  if (session.notice) return session.notice.text;
  if (session.approvals.length > 0)
    return session.approvalFocus === "composer"
      ? "Enter steer · Shift+Tab back to the approval"
      : "y once · a this session · n deny · d deny with a note · Shift+Tab composer · Esc interrupt";
  switch (session.phase) {
    case "idle":
      return "Enter send · Ctrl+J newline · / commands · @ files · !cmd shell · Ctrl+C twice quits";
    case "starting":
    case "running":
      return `Enter steer · Tab queue · Esc interrupt${waiting ? " · Alt+Up edit last" : ""}`;
    case "interrupting":
      return "Interrupting… (what you type now is sent next)";
  }
}

/** The app as an element (run-tui imports this module lazily and never imports React itself). */
export function appElement(props: AppProps): ReactNode {
  return <App {...props} />;
}
