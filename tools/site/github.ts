/**
 * Where published guides live: a repository on GitHub and the commit publishing pinned. nbviewer
 * and Binder build their links from it (publish.ts, launch-links.ts).
 */

export interface GitHubRepo {
  owner: string;
  repo: string;
}

/** The published commit: its repository, its SHA, and its branch (null on a detached HEAD). */
export interface PublishContext {
  repo: GitHubRepo;
  sha: string;
  branch: string | null;
}

/** Owner and repository of a GitHub remote URL in SSH or HTTPS form, or null for any other host. */
export function parseGitHubRemote(url: string): GitHubRepo | null {
  const m =
    /^(?:git@github\.com:|ssh:\/\/git@github\.com\/|https:\/\/(?:[^@/]+@)?github\.com\/)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m ? { owner: m[1], repo: m[2] } : null;
}
