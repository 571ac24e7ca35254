/**
 * Which operation serves a request, by path template and method, as an OpenAPI document's `paths`
 * describe them. Shared by the derivation (fixtures against Klaviyo's whole document) and the test
 * validator (exchanges against the committed subset), so both resolve a request the same way.
 */

/** One operation's address: a path template such as `/api/lists/{id}` and an upper-case method. */
export interface Route<T> {
  method: string;
  template: string;
  value: T;
}

/** The route serving a request, and the values its path parameters took (decoded). */
export interface Match<T> {
  route: Route<T>;
  pathValues: string[];
}

/**
 * A lookup over `routes`. Literal segments beat templated ones: with fewer parameters tried first,
 * a fixed path wins over `/{id}` of the same shape. A trailing slash is allowed, as the API allows it.
 *
 * @example
 * const find = routeFinder([{ method: "GET", template: "/api/lists/{id}", value: "get_list" }]);
 * find("GET", "/api/lists/Y6nRLr")?.route.value // "get_list"
 */
export function routeFinder<T>(routes: readonly Route<T>[]): (method: string, pathname: string) => Match<T> | undefined {
  const compiled = routes
    .map((route) => ({ route, regex: templateRegex(route.template), params: (route.template.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);
  return (method, pathname) => {
    const wanted = method.toUpperCase();
    for (const { route, regex } of compiled) {
      if (route.method !== wanted) continue;
      const m = regex.exec(pathname);
      if (m) return { route, pathValues: m.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  };
}

function templateRegex(template: string): RegExp {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "([^/]+)");
  return new RegExp(`^${pattern}/?$`);
}
