// What a cmdlet sees while it runs: the deployment session, "this computer", the host's files and prompts, the
// shell's variables, its bound parameters and its pipeline input.
import type { DeploymentSession } from '../core';
import type { Bound, BindingSpec } from './binding';
import type { ScriptBlock, PsValue } from './values';

export interface ShellFiles {
  read(relPath: string): Promise<Uint8Array>;
  write(relPath: string, bytes: Uint8Array): Promise<void>;
  exists(relPath: string): Promise<boolean>;
  list(relDir: string): Promise<{ name: string; isDirectory: boolean }[]>;
}

/** Everything the shell needs from where it runs (the VS Code terminal, the CLI, tests). */
export interface ShellHost {
  /** The deployment being worked on: the same DeploymentSession the tree and the wizard use. */
  session: DeploymentSession;
  /** Files under the folder the server drive (C:\) maps to; paths are relative POSIX paths ('' = the drive's root). */
  files: ShellFiles;
  /** Read-Host (secure: mask the echo). Resolves undefined when the user cancels (Ctrl+C). */
  readHost(prompt: string, options: { secure: boolean }): Promise<string | undefined>;
  /** false where nobody can answer a prompt (sfb-cert shell): a confirmation prompt then fails, saying what to add. */
  interactive?: boolean;
}

export type ShellStream = 'output' | 'error' | 'warning' | 'verbose';
export interface ShellWrite {
  stream: ShellStream;
  /** May contain '\n'; no ANSI codes (the terminal colours by stream). */
  text: string;
}

/** The shell's state between inputs. */
export interface ShellState {
  host: ShellHost;
  /** FQDN of "this computer" (changes with Enter-PSSession / Exit-PSSession). */
  computer: string | undefined;
  /** Where the shell started, to return to on Exit-PSSession; undefined outside a session. */
  sessionFrom?: { computer: string | undefined };
  variables: Map<string, PsValue>;
  /** Current location, e.g. C:\Users\Administrator. */
  location: string;
  /** PFX passwords typed in this shell, by workspace-relative file (memory only): the MMC export reads the file again. */
  pfxPasswords: Map<string, string>;
  /** Set by Clear-Host; the terminal clears the screen. */
  clearRequested?: boolean;
}

export interface CmdletContext {
  state: ShellState;
  spec: BindingSpec;
  bound: Bound;
  /** All pipeline input (cmdlets that take the whole input), or the one object bound to a pipeline parameter. */
  input: PsValue[];
  /** Whether -WhatIf was given. */
  whatIf: boolean;
  /** Runs a script block with $_ set to `item`; returns its output. */
  invoke(block: ScriptBlock, item: PsValue): Promise<PsValue[]>;
  write(w: ShellWrite): void;
  /** The parameter's bound value (canonical name), or undefined when not given. */
  get(name: string): PsValue | undefined;
  /** True when the switch is present and not set to $false. */
  flag(name: string): boolean;
}

export interface CmdletImpl extends BindingSpec {
  aliases?: readonly string[];
  /** 'each': runs once per pipeline input object (bound to the pipeline parameter); default: once, with all input. */
  pipelineMode?: 'each';
  run(ctx: CmdletContext): PsValue[] | Promise<PsValue[]>;
}
