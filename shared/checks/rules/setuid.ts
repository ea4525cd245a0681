import { failIfAny, type ImageCheck } from '../check';

const SETUID = 0o4000;
const SETGID = 0o2000;

/**
 * Set-id programs that distributions ship on purpose, by file name: password and login tools,
 * mount helpers, ping, the ssh key-signing helper, mail and cron group tools.
 */
export const SETID_ALLOWED: ReadonlySet<string> = new Set([
  'passwd',
  'chsh',
  'chfn',
  'gpasswd',
  'newgrp',
  'su',
  'sudo',
  'mount',
  'umount',
  'chage',
  'expiry',
  'unix_chkpwd',
  'pam_extrausers_chkpwd',
  'ping',
  'ping6',
  'ssh-keysign',
  'ssh-agent',
  'wall',
  'write',
  'crontab',
  'dotlockfile',
  'mail-lock',
  'mail-unlock',
  'mail-touchlock',
  'fusermount',
  'fusermount3',
  'newuidmap',
  'newgidmap',
  'pkexec',
  'dbus-daemon-launch-helper',
  'polkit-agent-helper-1',
  'bsd-write',
  'utempter',
  'Xorg.wrap',
]);

export const setuidFiles: ImageCheck = {
  id: 'setuid-files',
  version: 1,
  title: 'Set-user-ID or set-group-ID files outside the usual ones',
  severity: 'MEDIUM',
  rationale:
    'A set-id program runs with its owner’s rights whoever starts it; an unexpected one is a privilege-escalation path.',
  remediation:
    'Remove the bits where they are not needed: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, keeping the programs you rely on.',
  cis: '4.8',
  dockle: 'CIS-DI-0008',
  evaluate({ files }) {
    const found: string[] = [];
    for (const entry of files.entries()) {
      if (entry.type !== 'file' || (entry.mode & (SETUID | SETGID)) === 0) continue;
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (SETID_ALLOWED.has(name)) continue;
      found.push(`${entry.path} (mode ${(entry.mode & 0o7777).toString(8)})`);
    }
    return failIfAny(found);
  },
};
