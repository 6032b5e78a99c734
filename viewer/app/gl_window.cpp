#include "viewer/app/gl_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <cstring>
#include <string>

namespace evtwin::viewer {

namespace {

std::string glfw_error() {
    const char* what = nullptr;
    glfwGetError(&what);
    return what ? what : "unknown GLFW error";
}

}  // namespace

GlWindow::GlWindow(int width, int height, const char* title, bool vsync) {
    if (!glfwInit())
        throw WindowError("cannot open a window: " + glfw_error() +
                          " (no display? run it under xvfb-run -a)");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    window_ = glfwCreateWindow(width, height, title, nullptr, nullptr);
    if (!window_) {
        const std::string why = glfw_error();
        glfwTerminate();
        throw WindowError("cannot create an OpenGL 3 window: " + why);
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(vsync ? 1 : 0);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a fixed layout: no imgui.ini next to the user's files
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 0;
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 130");
}

GlWindow::~GlWindow() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
}

bool GlWindow::should_close() const {
    return glfwWindowShouldClose(window_);
}

void GlWindow::begin_frame() {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void GlWindow::render() {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.1f, 0.1f, 0.12f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
}

void GlWindow::present() {
    glfwSwapBuffers(window_);
}

std::vector<std::uint8_t> GlWindow::read_rgb(int& width, int& height) const {
    glfwGetFramebufferSize(window_, &width, &height);
    std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(width) * height * 3);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
    std::vector<std::uint8_t> top_down(bottom_up.size());
    const std::size_t row = static_cast<std::size_t>(width) * 3;
    for (int y = 0; y < height; ++y)
        std::memcpy(&top_down[static_cast<std::size_t>(y) * row],
                    &bottom_up[static_cast<std::size_t>(height - 1 - y) * row], row);
    return top_down;
}

void write_png(const std::filesystem::path& file, const std::vector<std::uint8_t>& rgb, int width,
               int height) {
    stbi_write_png_compression_level = 9;
    if (!stbi_write_png(file.string().c_str(), width, height, 3, rgb.data(), width * 3))
        throw std::runtime_error(file.string() + ": cannot write the PNG");
}

}  // namespace evtwin::viewer
