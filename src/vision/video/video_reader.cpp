#include "vision/video/video_reader.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <vector>

#include "vision/video/ffmpeg_handles.hpp"

namespace ascension::vision {
namespace {

using Clock = std::chrono::steady_clock;

// Deadlines for single blocking FFmpeg calls; a file that needs longer is treated as malformed.
constexpr auto kOpenTimeout = std::chrono::seconds(30);
constexpr auto kReadTimeout = std::chrono::seconds(10);
constexpr std::int64_t kProbeSize = 5'000'000;        // bytes
constexpr std::int64_t kAnalyzeDuration = 5'000'000;  // microseconds
constexpr std::size_t kProbeBytes = 1 << 16;
// A stream that yields this many video packets in a row without a decoded frame is not decodable.
constexpr int kMaxPacketsWithoutFrame = 2000;
// Below this share of the frames the container declares, the file is considered truncated.
constexpr double kMinDecodedShare = 0.9;

Status Fail(std::string* error_code, const char* code, std::string message) {
  if (error_code != nullptr) *error_code = code;
  if (std::string_view(code) == "internal") return Internal(std::move(message));
  return InvalidArgument(std::move(message));
}

std::string AvError(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

}  // namespace

int RotationFromDisplayMatrix(const std::int32_t* matrix) {
  if (matrix == nullptr) return 0;
  const double ccw = av_display_rotation_get(matrix);  // counter-clockwise degrees
  if (std::isnan(ccw)) return 0;
  double cw = std::fmod(-ccw, 360.0);
  if (cw < 0) cw += 360;
  const double snapped = std::round(cw / 90) * 90;
  if (std::abs(cw - snapped) > 1) return 0;
  return static_cast<int>(snapped) % 360;
}

void RotateClockwise(const cv::Mat& src, int degrees, cv::Mat* dst) {
  switch (degrees) {
    case 90:
      cv::rotate(src, *dst, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(src, *dst, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(src, *dst, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      src.copyTo(*dst);
      break;
  }
}

struct VideoReader::Impl {
  VideoReaderOptions options;
  domain::VideoInfo info;
  Clock::time_point deadline;
  ffmpeg::Input format;
  ffmpeg::Codec codec;
  ffmpeg::Frame frame;
  ffmpeg::Packet packet;
  ffmpeg::Scaler sws;
  int stream_index = -1;
  AVRational time_base{1, 1};
  std::int64_t start_pts = 0;
  int coded_out_w = 0, coded_out_h = 0;  // scaled size before rotation
  int out_w = 0, out_h = 0;              // after rotation
  cv::Mat coded_rgb;
  int decoded = 0;  // frames produced by the decoder so far
  double next_sample_s = 0;
  double last_time_s = 0;
  bool draining = false;
  bool finished = false;
  int packets_without_frame = 0;

  static int Interrupt(void* opaque) {
    return Clock::now() > static_cast<Impl*>(opaque)->deadline ? 1 : 0;
  }
  // Decodes the next frame of the stream into `frame`; false at the end.
  Result<bool> DecodeOne(std::string* error_code);
  // Next() and Skip(): `convert` says whether the sampled frame is scaled and rotated into out.
  Result<bool> Advance(VideoFrame* out, bool convert, std::string* error_code);
};

VideoReader::VideoReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoReader::~VideoReader() = default;
const domain::VideoInfo& VideoReader::info() const {
  return impl_->info;
}
int VideoReader::output_width() const {
  return impl_->out_w;
}
int VideoReader::output_height() const {
  return impl_->out_h;
}

double VideoReader::progress() const {
  if (impl_->finished) return 1;
  if (impl_->info.duration_s > 0) {
    return std::clamp(impl_->last_time_s / impl_->info.duration_s, 0.0, 1.0);
  }
  // No duration in the container: fall back on the share of the file read.
  AVIOContext* pb = impl_->format->pb;
  const std::int64_t size = pb != nullptr ? avio_size(pb) : -1;
  if (size <= 0) return 0;
  return std::clamp(static_cast<double>(avio_tell(pb)) / static_cast<double>(size), 0.0, 1.0);
}

Result<std::unique_ptr<VideoReader>> VideoReader::Open(const std::string& path,
                                                       const VideoReaderOptions& options,
                                                       std::string* error_code) {
  av_log_set_level(AV_LOG_QUIET);  // errors are reported through Status, not on stderr
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {  // the caller's mistake (or a lost download), not a property of the upload
    if (error_code != nullptr) *error_code = "internal";
    return NotFound("cannot read " + path + ": " + ec.message());
  }
  if (size == 0) return Fail(error_code, "empty_file", "the file is empty");

  // Identify the container from its content only: a file's name must not make FFmpeg try a
  // demuxer on bytes that are not that format.
  std::vector<std::uint8_t> head(kProbeBytes + AVPROBE_PADDING_SIZE, 0);
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(error_code, "not_a_video", "cannot open " + path);
    in.read(reinterpret_cast<char*>(head.data()), kProbeBytes);
    AVProbeData pd{};
    pd.filename = "";
    pd.buf = head.data();
    pd.buf_size = static_cast<int>(in.gcount());
    int score = 0;
    const AVInputFormat* probed = av_probe_input_format3(&pd, 1, &score);
    if (probed == nullptr || score < AVPROBE_SCORE_MAX / 4) {
      return Fail(error_code, "not_a_video", "the file is not a video container FFmpeg knows");
    }
    const std::string_view name = probed->name;
    if (name.find("_pipe") != std::string_view::npos || name == "image2" || name == "tty") {
      return Fail(error_code, "not_a_video", "the file is an image or text, not a video");
    }
  }

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Fail(error_code, "internal", "out of memory");
  raw->interrupt_callback = {&Impl::Interrupt, impl.get()};
  raw->probesize = kProbeSize;
  raw->max_analyze_duration = kAnalyzeDuration;
  raw->max_streams = 64;
  impl->deadline = Clock::now() + kOpenTimeout;
  int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (err < 0) {  // avformat_open_input frees the context on failure
    return Fail(error_code, "corrupt_video", "cannot open the video: " + AvError(err));
  }
  impl->format.reset(raw);
  AVFormatContext* fmt = impl->format.get();
  impl->deadline = Clock::now() + kOpenTimeout;
  if ((err = avformat_find_stream_info(fmt, nullptr)) < 0) {
    return Fail(error_code, "corrupt_video", "cannot read the video streams: " + AvError(err));
  }
  const AVCodec* decoder = nullptr;
  int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
  if (index < 0 || (fmt->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    return Fail(error_code, "not_a_video", "the file has no video stream");
  }
  if (decoder == nullptr) {
    return Fail(error_code, "corrupt_video", "no decoder for the video codec");
  }
  AVStream* st = fmt->streams[index];
  impl->stream_index = index;
  impl->time_base = st->time_base;
  const AVCodecParameters* par = st->codecpar;

  // Dimensions come from the container header: refuse absurd sizes before any frame is decoded.
  const std::int64_t w = par->width, h = par->height;
  if (w < 2 || h < 2 || w > options.max_side || h > options.max_side ||
      w * h > options.max_pixels) {
    return Fail(error_code, "unsupported_dimensions",
                "unsupported frame size " + std::to_string(w) + "x" + std::to_string(h));
  }

  int rotation = 0;
  std::size_t side_size = 0;
  if (const std::uint8_t* side = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &side_size);
      side != nullptr && side_size >= 9 * sizeof(std::int32_t)) {
    rotation = RotationFromDisplayMatrix(reinterpret_cast<const std::int32_t*>(side));
  }

  // The average rate, as OpenCV reports it, so timestamps match clips analysed elsewhere.
  AVRational rate = st->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = av_guess_frame_rate(fmt, st, nullptr);
  double fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
  if (!(fps > 0 && fps < 1000)) fps = 30;  // unknown rate: timestamps still need a scale

  double duration = 0;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    duration = static_cast<double>(st->duration) * av_q2d(st->time_base);
  } else if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    duration = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  }
  // The container's numbers are the file's: a zero time base gives inf or NaN, a huge duration
  // does not fit an int (1.09951e+12 s was an undefined conversion, found by fuzz/video_reader).
  if (!std::isfinite(duration) || duration < 0) duration = 0;
  if (duration > options.max_duration_s + 0.5) {
    char lasts[32];
    std::snprintf(lasts, sizeof lasts, "%.0f", duration);
    return Fail(error_code, "video_too_long",
                std::string("the video lasts ") + lasts + " s; the limit is " +
                    std::to_string(static_cast<int>(options.max_duration_s)) + " s");
  }

  domain::VideoInfo& info = impl->info;
  const bool swap = rotation == 90 || rotation == 270;
  info.width = static_cast<int>(swap ? h : w);
  info.height = static_cast<int>(swap ? w : h);
  info.rotation_degrees = rotation;
  info.fps = fps;
  info.duration_s = duration;
  info.frame_count = st->nb_frames > 0 ? st->nb_frames : static_cast<std::int64_t>(duration * fps);
  info.codec = avcodec_get_name(par->codec_id);
  impl->start_pts = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;

  const double scale = options.max_width > 0 && info.width > options.max_width
                           ? static_cast<double>(options.max_width) / info.width
                           : 1.0;
  impl->out_w = std::max(1, static_cast<int>(std::lround(info.width * scale)));
  impl->out_h = std::max(1, static_cast<int>(std::lround(info.height * scale)));
  impl->coded_out_w = swap ? impl->out_h : impl->out_w;
  impl->coded_out_h = swap ? impl->out_w : impl->out_h;

  impl->codec.reset(avcodec_alloc_context3(decoder));
  if (!impl->codec) return Fail(error_code, "internal", "out of memory");
  if (avcodec_parameters_to_context(impl->codec.get(), par) < 0) {
    return Fail(error_code, "corrupt_video", "bad codec parameters");
  }
  impl->codec->thread_count = 1;  // one pipeline per core; see pose-pipeline notes
  impl->codec->max_pixels = options.max_pixels;
  if ((err = avcodec_open2(impl->codec.get(), decoder, nullptr)) < 0) {
    return Fail(error_code, "corrupt_video", "cannot open the decoder: " + AvError(err));
  }
  impl->frame.reset(av_frame_alloc());
  impl->packet.reset(av_packet_alloc());
  if (!impl->frame || !impl->packet) return Fail(error_code, "internal", "out of memory");
  impl->coded_rgb.create(impl->coded_out_h, impl->coded_out_w, CV_8UC3);
  return std::make_unique<VideoReader>(std::move(impl));
}

Result<bool> VideoReader::Impl::DecodeOne(std::string* error_code) {
  while (true) {
    int err = avcodec_receive_frame(codec.get(), frame.get());
    if (err == 0) {
      packets_without_frame = 0;
      return true;
    }
    if (err == AVERROR_EOF || draining) return false;
    // Otherwise the decoder wants input (EAGAIN) or rejected a broken frame: feed it more.
    deadline = Clock::now() + kReadTimeout;
    err = av_read_frame(format.get(), packet.get());
    if (err < 0) {
      // End of file, or a read error on a damaged/truncated file: flush what the decoder holds.
      draining = true;
      avcodec_send_packet(codec.get(), nullptr);
      continue;
    }
    const bool video = packet->stream_index == stream_index;
    if (video) {
      // Invalid data in one packet is tolerated; whether anything decodes is checked at the end.
      avcodec_send_packet(codec.get(), packet.get());
    }
    av_packet_unref(packet.get());
    if (video && ++packets_without_frame > kMaxPacketsWithoutFrame) {
      return Fail(error_code, "corrupt_video", "the video stream does not decode");
    }
  }
}

Result<bool> VideoReader::Next(VideoFrame* out, std::string* error_code) {
  return impl_->Advance(out, true, error_code);
}

Result<bool> VideoReader::Skip(VideoFrame* out, std::string* error_code) {
  return impl_->Advance(out, false, error_code);
}

Result<bool> VideoReader::Impl::Advance(VideoFrame* out, bool convert, std::string* error_code) {
  Impl& m = *this;
  if (m.finished) return false;
  const double fps = m.info.fps;
  const double interval = m.options.max_fps > 0 ? 1.0 / m.options.max_fps : 0;
  while (true) {
    auto got = m.DecodeOne(error_code);
    if (!got.ok()) return got.status();
    if (!*got) {
      m.finished = true;
      if (m.decoded == 0) {
        return Fail(error_code, "corrupt_video", "no frame of the video could be decoded");
      }
      if (m.info.frame_count > 0 && m.decoded < kMinDecodedShare * m.info.frame_count) {
        return Fail(error_code, "corrupt_video",
                    "the video is truncated: " + std::to_string(m.decoded) + " of " +
                        std::to_string(m.info.frame_count) + " frames decoded");
      }
      return false;
    }
    AVFrame* f = m.frame.get();
    const int index = m.decoded++;
    const std::int64_t pts = f->best_effort_timestamp;
    const double t = pts != AV_NOPTS_VALUE
                         ? static_cast<double>(pts - m.start_pts) * av_q2d(m.time_base)
                         : index / fps;
    m.last_time_s = t;
    if (t > m.options.max_duration_s + 1 || index / fps > m.options.max_duration_s + 1) {
      return Fail(error_code, "video_too_long", "the video runs past the duration limit");
    }
    // Sampling on presentation time handles variable frame rates; a tolerance of a fifth of the
    // interval keeps every frame of a stream at exactly max_fps.
    if (interval > 0 && index > 0 && t < m.next_sample_s - 0.2 * interval) continue;
    m.next_sample_s = std::max(m.next_sample_s + interval, t + 0.8 * interval);
    if (index == 0) m.next_sample_s = t + interval;

    if (f->width < 1 || f->height < 1 || f->width > m.options.max_side ||
        f->height > m.options.max_side) {
      return Fail(error_code, "unsupported_dimensions", "a frame has an unsupported size");
    }
    out->index = index;
    out->timestamp_ms = static_cast<std::int64_t>(index * 1000 / fps);
    if (!convert) {
      av_frame_unref(f);
      return true;
    }
    // Frames are scaled to the output size fixed at open, even if the stream changes size.
    // Bicubic is what OpenCV's FFmpeg capture uses: it matched the reference as well as
    // area + accurate rounding + full chroma interpolation did, at about half the cost.
    m.sws.reset(sws_getCachedContext(
        m.sws.release(), f->width, f->height, static_cast<AVPixelFormat>(f->format), m.coded_out_w,
        m.coded_out_h, AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!m.sws) return Fail(error_code, "corrupt_video", "unsupported pixel format");
    std::uint8_t* dst[4] = {m.coded_rgb.data, nullptr, nullptr, nullptr};
    int dst_stride[4] = {static_cast<int>(m.coded_rgb.step), 0, 0, 0};
    sws_scale(m.sws.get(), f->data, f->linesize, 0, f->height, dst, dst_stride);
    av_frame_unref(f);
    RotateClockwise(m.coded_rgb, m.info.rotation_degrees, &out->rgb);
    return true;
  }
}

}  // namespace ascension::vision
