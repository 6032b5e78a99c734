// Play/pause, step, speed, typed time entry, next/previous event of a kind, loop, and the scrub
// bar with event-density marks.
#include "viewer/app/colours.hpp"
#include "viewer/app/panels.hpp"
#include "viewer/timeline/time_entry.hpp"

#include <algorithm>
#include <cstdio>

namespace evtwin::viewer {

namespace {

struct SpanChoice {
    const char* label;
    Duration span;
};
constexpr SpanChoice kSpans[] = {{"1 h", Duration::hours(1)},
                                 {"6 h", Duration::hours(6)},
                                 {"1 day", Duration::days(1)},
                                 {"3 days", Duration::days(3)},
                                 {"7 days", Duration::days(7)},
                                 {"30 days", Duration::days(30)},
                                 {"whole run", Duration(std::numeric_limits<std::int64_t>::max() / 4)}};

Duration step_size(const AppState& s) {
    const Duration p = s.run.run.control_period;
    return p.ms() > 0 ? p : Duration::minutes(15);
}

void scrub_bar(AppState& s) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = 34.f;
    ImGui::InvisibleButton("##scrub", ImVec2(w, h));
    const Time from = s.run.start(), to = s.run.end();
    dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), colour::kPlotBg);
    // Density marks: arrivals (blue) and departures (grey) as a histogram, faults and violations as ticks.
    const auto buckets = static_cast<std::size_t>(std::max(1.f, w / 2));
    const auto arr = s.run.marks.density(MarkKind::arrival, from, to, buckets);
    const auto dep = s.run.marks.density(MarkKind::departure, from, to, buckets);
    std::uint32_t peak = 1;
    for (std::size_t i = 0; i < buckets; ++i) peak = std::max({peak, arr[i], dep[i]});
    for (std::size_t i = 0; i < buckets; ++i) {
        const float x = p0.x + static_cast<float>(i) * 2;
        const float ha = (h - 10) * static_cast<float>(arr[i]) / static_cast<float>(peak);
        const float hd = (h - 10) * static_cast<float>(dep[i]) / static_cast<float>(peak);
        if (ha > 0) dl->AddRectFilled(ImVec2(x, p0.y + h - ha), ImVec2(x + 1, p0.y + h), colour::kEvCharge);
        if (hd > 0) dl->AddRectFilled(ImVec2(x + 1, p0.y + h - hd), ImVec2(x + 2, p0.y + h), colour::kLoad);
    }
    const auto ticks = [&](MarkKind k, ImU32 c) {
        const auto d = s.run.marks.density(k, from, to, buckets);
        for (std::size_t i = 0; i < buckets; ++i)
            if (d[i] > 0)
                dl->AddRectFilled(ImVec2(p0.x + static_cast<float>(i) * 2, p0.y),
                                  ImVec2(p0.x + static_cast<float>(i) * 2 + 2, p0.y + 8), c);
    };
    ticks(MarkKind::fault, colour::state(PilotState::F));
    ticks(MarkKind::violation, IM_COL32(255, 120, 0, 255));
    if (const auto& loop = s.playback.loop()) {
        dl->AddRectFilled(ImVec2(time_to_x(loop->from, from, to, p0.x, w), p0.y),
                          ImVec2(time_to_x(loop->to, from, to, p0.x, w), p0.y + h), colour::kLoop);
    }
    const auto [wf, wt] = s.window();
    dl->AddRect(ImVec2(time_to_x(wf, from, to, p0.x, w), p0.y),
                ImVec2(time_to_x(wt, from, to, p0.x, w) + 1, p0.y + h), IM_COL32(255, 255, 255, 70));
    const float cx = time_to_x(s.playback.cursor(), from, to, p0.x, w);
    dl->AddLine(ImVec2(cx, p0.y), ImVec2(cx, p0.y + h), colour::kCursor, 2.f);
    if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left))
        s.playback.seek(x_to_time(ImGui::GetIO().MousePos.x, from, to, p0.x, w));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s",
                          s.time.format(x_to_time(ImGui::GetIO().MousePos.x, from, to, p0.x, w)).c_str());
}

// The cursor in the shown zone, the other zone on hover, and the UTC switch.
void cursor_time(AppState& s) {
    const Time t = s.playback.cursor();
    ImGui::TextUnformatted(s.time.format(t).c_str());
    if (ImGui::IsItemHovered()) {
        if (s.time.has_zone())
            ImGui::SetTooltip("site time zone %s\n%s\n%s", s.time.zone_name().c_str(),
                              s.time.format(t).c_str(), s.time.format_other(t).c_str());
        else
            ImGui::SetTooltip("%s", s.time.note().c_str());
    }
    ImGui::SameLine();
    if (!s.time.has_zone()) {
        ImGui::TextDisabled("(no time zone)");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.time.note().c_str());
        return;
    }
    bool utc = s.time.utc();
    if (ImGui::Checkbox("UTC", &utc)) s.time.set_utc(utc);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("show and type times in UTC instead of %s", s.time.zone_name().c_str());
}

}  // namespace

float time_to_x(Time t, Time from, Time to, float x0, float width) {
    const double span = static_cast<double>((to - from).ms());
    if (span <= 0) return x0;
    return x0 + static_cast<float>(static_cast<double>((t - from).ms()) / span * width);
}

Time x_to_time(float x, Time from, Time to, float x0, float width) {
    if (width <= 0) return from;
    const double f = std::clamp(static_cast<double>((x - x0) / width), 0.0, 1.0);
    return from + Duration(static_cast<std::int64_t>(f * static_cast<double>((to - from).ms())));
}

void draw_timeline(AppState& s) {
    Playback& p = s.playback;
    if (ImGui::Button(p.playing() ? "Pause" : "Play", ImVec2(60, 0))) p.toggle();
    ImGui::SameLine();
    if (ImGui::Button("|<")) p.seek(p.loop() ? p.loop()->from : p.start());
    ImGui::SameLine();
    if (ImGui::Button("<")) p.step(Duration(-step_size(s).ms()));
    ImGui::SameLine();
    if (ImGui::Button(">")) p.step(step_size(s));
    ImGui::SameLine();
    if (ImGui::Button(">|")) p.seek(p.loop() ? p.loop()->to : p.end());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150);
    float speed = static_cast<float>(p.speed());
    if (ImGui::SliderFloat("##speed", &speed, 0.1f, 10000.f, "%.1fx sim-s/s", ImGuiSliderFlags_Logarithmic))
        p.set_speed(speed);
    ImGui::SameLine();
    cursor_time(s);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s", s.time_entry.c_str());
    if (ImGui::InputTextWithHint("##goto", "go to: 08:30, +2h, 2024-07-01", buf, sizeof buf,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        try {
            p.seek(s.time.parse(buf, p.cursor()));
            s.time_error.clear();
        } catch (const TimeEntryError& e) {
            s.time_error = e.what();
        }
    }
    s.time_entry = buf;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    const char* kinds[] = {"arrival", "departure", "fault", "limit violation"};
    int kind = static_cast<int>(s.jump_kind);
    if (ImGui::Combo("##kind", &kind, kinds, 4)) s.jump_kind = static_cast<MarkKind>(kind);
    ImGui::SameLine();
    if (ImGui::Button("prev")) {
        if (const auto t = s.run.marks.previous(s.jump_kind, p.cursor())) p.seek(*t);
    }
    ImGui::SameLine();
    if (ImGui::Button("next")) {
        if (const auto t = s.run.marks.next(s.jump_kind, p.cursor())) p.seek(*t);
    }
    ImGui::SameLine();
    if (ImGui::Button("loop window")) {
        const auto [from, to] = s.window();
        p.set_loop(from, to);
    }
    ImGui::SameLine();
    if (ImGui::Button("no loop")) p.clear_loop();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(100);
    int current = 0;
    for (int i = 0; i < static_cast<int>(std::size(kSpans)); ++i)
        if (kSpans[i].span == s.span) current = i;
    if (ImGui::BeginCombo("window", kSpans[current].label)) {
        for (int i = 0; i < static_cast<int>(std::size(kSpans)); ++i)
            if (ImGui::Selectable(kSpans[i].label, i == current)) s.span = kSpans[i].span;
        ImGui::EndCombo();
    }
    if (!s.time_error.empty()) ImGui::TextColored(ImVec4(1, .4f, .4f, 1), "%s", s.time_error.c_str());
    scrub_bar(s);
}

}  // namespace evtwin::viewer
