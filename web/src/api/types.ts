// The shapes of api/openapi.json that the web client reads. Everything that arrives from the
// network is checked before use (see guards in the modules that read it); these types describe
// what a well-formed answer holds.

export type Language = "fr" | "en";
export type AnalysisStatus = "pending" | "processing" | "generating_hints" | "completed" | "failed";

export interface User {
  id: string;
  username: string;
  email: string;
  role: "user" | "admin";
  subscription_tier: "freemium" | "premium" | "infinity";
  language: Language;
  ghost_mode: boolean;
  monthly_quota: number;
  quota_used?: number;
  created_at: string;
}

export interface Tokens {
  access_token: string;
  expires_in: number;
  user_id: string;
  user: User;
}

export interface Pagination {
  page: number;
  per_page: number;
  total: number;
  pages: number;
}

export interface UploadUrl {
  video_id: string;
  upload_url: string;
  method: "PUT";
  headers: Record<string, string>;
  content_type: string;
  expires_in: number;
  max_bytes: number;
  max_seconds?: number;
}

export interface VideoDetail {
  id: string;
  filename: string;
  status: string;
  playback_url: string | null;
}

export interface AnalysisSummary {
  id: string;
  video_id: string;
  status: AnalysisStatus;
  progress: number;
  stage: string;
  model: string;
  hints: string | null;
  processing_time_ms: number | null;
  created_at: string;
  completed_at: string | null;
  error?: { code: string; message: string };
}

export interface AnalysisPage {
  items: AnalysisSummary[];
  pagination: Pagination;
}

export interface AnalysisCreated {
  analysis_id: string;
  video_id: string;
  status: "pending";
}

export type Scores = Partial<Record<string, number | null>>;

export interface StatsWeek {
  week_start: string;
  analyses: number;
  completed: number;
  average_scores: Scores;
}

export interface Stats {
  weeks: StatsWeek[];
  average_scores: Scores;
  trend: Scores;
  totals: { analyses?: number; completed?: number; failed?: number };
}

export interface WsEvent {
  event: "analysis:progress" | "analysis:completed" | "analysis:failed";
  data: {
    analysis_id: string;
    progress?: number;
    stage?: string;
    status?: string;
    error_code?: string;
    message?: string;
  };
}
