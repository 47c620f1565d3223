#include "vision/video/video_writer.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstring>
#include <string>

#include "vision/video/ffmpeg_handles.hpp"

namespace ascension::vision {

struct VideoWriter::Impl {
  ffmpeg::Output format;
  ffmpeg::Codec codec;
  ffmpeg::Frame frame;
  ffmpeg::Packet packet;
  ffmpeg::Scaler sws;
  AVStream* stream = nullptr;
  std::int64_t next_pts = 0;
  bool finished = false;

  // Sends `f` (nullptr = flush) and writes every packet the encoder returns.
  Status Encode(AVFrame* f) {
    if (avcodec_send_frame(codec.get(), f) < 0) return Internal("the video encoder failed");
    while (true) {
      int err = avcodec_receive_packet(codec.get(), packet.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return Internal("the video encoder failed");
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      err = av_interleaved_write_frame(format.get(), packet.get());
      if (err < 0) return Internal("cannot write the video file");
    }
  }
};

VideoWriter::VideoWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoWriter::~VideoWriter() = default;

const char* VideoWriter::encoder_name() const {
  return impl_->codec->codec->name;
}

Result<std::unique_ptr<VideoWriter>> VideoWriter::Open(const std::string& path, int width,
                                                       int height, double fps, int rotation_degrees,
                                                       int crf) {
  width &= ~1;
  height &= ~1;
  if (width < 2 || height < 2 || !(fps > 0)) return InvalidArgument("bad output video size");
  auto impl = std::make_unique<Impl>();
  AVFormatContext* raw = nullptr;
  if (avformat_alloc_output_context2(&raw, nullptr, "mp4", path.c_str()) < 0 || raw == nullptr) {
    return Internal("cannot create an MP4 muxer");
  }
  impl->format.reset(raw);
  const AVCodec* enc = avcodec_find_encoder_by_name("libx264");
  if (enc == nullptr) enc = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  if (enc == nullptr) return Internal("no H.264 or MPEG-4 encoder in this FFmpeg");
  impl->codec.reset(avcodec_alloc_context3(enc));
  if (!impl->codec) return Internal("out of memory");
  AVCodecContext* c = impl->codec.get();
  const AVRational rate = av_d2q(fps, 100000);
  c->width = width;
  c->height = height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = av_inv_q(rate);
  c->framerate = rate;
  c->gop_size = 60;
  c->thread_count = 1;
  if (std::strcmp(enc->name, "libx264") == 0) {
    av_opt_set(c->priv_data, "preset", "veryfast", 0);
    av_opt_set(c->priv_data, "crf", std::to_string(std::clamp(crf, 0, 51)).c_str(), 0);
  } else {
    c->bit_rate = static_cast<std::int64_t>(width) * height * 4;
  }
  if (impl->format->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (avcodec_open2(c, enc, nullptr) < 0) return Internal("cannot open the video encoder");
  impl->stream = avformat_new_stream(impl->format.get(), nullptr);
  if (impl->stream == nullptr) return Internal("cannot add a video stream");
  impl->stream->time_base = c->time_base;
  avcodec_parameters_from_context(impl->stream->codecpar, c);
  if (rotation_degrees % 360 != 0) {
    auto* matrix = reinterpret_cast<std::int32_t*>(
        av_stream_new_side_data(impl->stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(std::int32_t)));
    if (matrix == nullptr) return Internal("out of memory");
    // This FFmpeg's av_display_rotation_set takes the clockwise angle a player applies.
    av_display_rotation_set(matrix, rotation_degrees);
  }
  if (avio_open(&impl->format->pb, path.c_str(), AVIO_FLAG_WRITE) < 0) {
    return Internal("cannot create " + path);
  }
  if (avformat_write_header(impl->format.get(), nullptr) < 0) {
    return Internal("cannot write the MP4 header");
  }
  impl->frame.reset(av_frame_alloc());
  impl->packet.reset(av_packet_alloc());
  if (!impl->frame || !impl->packet) return Internal("out of memory");
  AVFrame* f = impl->frame.get();
  f->format = c->pix_fmt;
  f->width = width;
  f->height = height;
  if (av_frame_get_buffer(f, 0) < 0) return Internal("out of memory");
  return std::make_unique<VideoWriter>(std::move(impl));
}

Status VideoWriter::Write(const cv::Mat& rgb, std::int64_t pts) {
  Impl& m = *impl_;
  if (m.finished) return FailedPrecondition("the video is finished");
  if (rgb.type() != CV_8UC3 || rgb.empty()) return InvalidArgument("expected an 8-bit RGB image");
  AVFrame* f = m.frame.get();
  if (av_frame_make_writable(f) < 0) return Internal("out of memory");
  m.sws.reset(sws_getCachedContext(m.sws.release(), rgb.cols, rgb.rows, AV_PIX_FMT_RGB24, f->width,
                                   f->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr,
                                   nullptr));
  if (!m.sws) return Internal("cannot convert the frame");
  const std::uint8_t* src[4] = {rgb.data, nullptr, nullptr, nullptr};
  const int src_stride[4] = {static_cast<int>(rgb.step), 0, 0, 0};
  sws_scale(m.sws.get(), src, src_stride, 0, rgb.rows, f->data, f->linesize);
  if (pts >= 0 && pts < m.next_pts) return InvalidArgument("frame times must increase");
  f->pts = pts >= 0 ? pts : m.next_pts;
  m.next_pts = f->pts + 1;
  return m.Encode(f);
}

Status VideoWriter::Finish() {
  Impl& m = *impl_;
  if (m.finished) return Status::Ok();
  m.finished = true;
  if (Status s = m.Encode(nullptr); !s.ok()) return s;
  if (av_write_trailer(m.format.get()) < 0) return Internal("cannot finish the MP4 file");
  return Status::Ok();
}

}  // namespace ascension::vision
