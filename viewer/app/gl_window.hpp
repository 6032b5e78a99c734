#pragma once
// A GLFW window with an OpenGL 3 context and Dear ImGui on it (RAII), and reading a frame back.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

struct GLFWwindow;

namespace evtwin::viewer {

struct WindowError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class GlWindow {
public:
    // Throws WindowError when no display or no OpenGL 3 context is available.
    GlWindow(int width, int height, const char* title, bool vsync);
    ~GlWindow();
    GlWindow(const GlWindow&) = delete;
    GlWindow& operator=(const GlWindow&) = delete;

    bool should_close() const;
    void begin_frame();  // polls events, starts an ImGui frame
    void render();       // renders the ImGui frame into the back buffer and waits for the GPU (glFinish)
    void present();      // swaps buffers
    // The back buffer as top-down RGB rows (call after render(), before present()).
    std::vector<std::uint8_t> read_rgb(int& width, int& height) const;

private:
    GLFWwindow* window_ = nullptr;
};

// Writes top-down RGB pixels as a PNG; throws std::runtime_error naming the file on failure.
void write_png(const std::filesystem::path& file, const std::vector<std::uint8_t>& rgb, int width,
               int height);

}  // namespace evtwin::viewer
