"""The meetings page's panels (会议, 议定和交办事项, 领导批示, 回头看, 预判), the 批示 box other pages show a
leader, and the leader's panel on the 总览."""
