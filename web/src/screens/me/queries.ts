import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";

/** Query keys of my own paging settings (not under ["me"], which is the session). */
export const settingKeys = {
  all: ["paging-settings"] as const,
  contactMethods: ["paging-settings", "contact-methods"] as const,
  rules: ["paging-settings", "notification-rules"] as const,
};

const ME = { params: { path: { userId: "me" } } };

export function useContactMethods() {
  return useQuery({
    queryKey: settingKeys.contactMethods,
    queryFn: () =>
      call("Could not load your contact methods", api.GET("/api/v1/users/{userId}/contact-methods", ME)),
  });
}

export function useNotificationRules() {
  return useQuery({
    queryKey: settingKeys.rules,
    queryFn: () =>
      call(
        "Could not load your notification rules",
        api.GET("/api/v1/users/{userId}/notification-rules", ME),
      ),
  });
}
